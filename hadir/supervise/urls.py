from django.contrib.auth import views as auth_views
from django.urls import path

from hadir.supervise import views, views_leave

app_name = "supervise"

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "masuk/",
        auth_views.LoginView.as_view(
            template_name="supervise/login.html", next_page="supervise:home"
        ),
        name="login",
    ),
    path("keluar/", views.logout, name="logout"),
    path("papan/", views.board, name="board"),
    path("pegawai/<int:employee_id>/", views.employee_day, name="employee_day"),
    path("sidak/", views.spot_checks, name="spot_checks"),
    path("sidak/<int:spot_id>/", views.spot_check, name="spot_check"),
    path(
        "sidak/<int:spot_id>/tandai/<int:entry_id>/",
        views.spot_check_mark,
        name="spot_check_mark",
    ),
    path("sidak/<int:spot_id>/selesai/", views.spot_check_close, name="spot_check_close"),
    path("sidak/<int:spot_id>/foto/", views.spot_check_photo, name="spot_check_photo"),
    path("cuti/", views_leave.leave_list, name="leave"),
    path("cuti/<int:leave_id>/putuskan/", views_leave.leave_decide, name="leave_decide"),
    path("cuti/<int:leave_id>/lampiran/", views_leave.leave_attachment, name="leave_attachment"),
    path("ikhtisar/", views.overview, name="overview"),
    path("ikhtisar/rekap/", views.recap_export, name="recap_export"),
    path("ikhtisar/tpp/", views.tpp_export, name="tpp_export"),
    path("ikhtisar/audit/", views.audit_log, name="audit_log"),
]
