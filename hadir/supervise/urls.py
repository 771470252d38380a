from django.contrib.auth import views as auth_views
from django.urls import path

from hadir.supervise import views

app_name = "supervise"

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "masuk/",
        auth_views.LoginView.as_view(template_name="supervise/login.html"),
        name="login",
    ),
    path("keluar/", views.logout, name="logout"),
    path("papan/", views.board, name="board"),
    path("sidak/", views.spot_checks, name="spot_checks"),
    path("ikhtisar/", views.overview, name="overview"),
]
