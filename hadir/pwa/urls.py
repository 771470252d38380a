from django.urls import path

from hadir.pwa import views

urlpatterns = [
    path("", views.shell, name="pwa-shell"),
    path("manifest.webmanifest", views.manifest, name="pwa-manifest"),
    path("sw.js", views.service_worker, name="pwa-sw"),
    path("coba/", views.try_on_phone, name="pwa-try"),
]
