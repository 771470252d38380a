from django.urls import path

from hadir.checkin import views

urlpatterns = [
    path("screen/", views.office_screen, name="office-screen"),
    path("sw.js", views.office_service_worker, name="office-sw"),
    path("<str:code>/provision/", views.office_provision, name="office-provision"),
]
