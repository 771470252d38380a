from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "hadir.attendance"
    label = "attendance"
