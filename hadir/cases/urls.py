"""Flag review under /pantau/flag/, discipline cases under /pantau/kasus/."""

from django.urls import path

from hadir.cases import views_cases, views_flags

app_name = "cases"

urlpatterns = [
    path("flag/", views_flags.queue, name="flags"),
    path("flag/saya/", views_flags.mine, name="my_flags"),
    path("flag/saya/<int:review_id>/jawab/", views_flags.answer, name="flag_answer"),
    path("flag/<int:flag_id>/", views_flags.detail, name="flag"),
    path("flag/<int:flag_id>/tinjau/", views_flags.review, name="flag_review"),
    path("kasus/", views_cases.case_list, name="cases"),
    path("kasus/buka/", views_cases.case_open, name="case_open"),
    path("kasus/terlambat/", views_cases.overdue_panel, name="overdue_panel"),
    path("kasus/<int:case_id>/", views_cases.case_detail, name="case"),
    path("kasus/<int:case_id>/<slug:step>/", views_cases.case_step, name="case_step"),
    path("kasus/surat/<int:letter_id>.pdf", views_cases.letter_download, name="letter"),
    path("kasus/pegawai/<int:employee_id>/", views_cases.employee_history, name="employee_history"),
]
