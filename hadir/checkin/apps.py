from django.apps import AppConfig


class CheckinConfig(AppConfig):
    name = "hadir.checkin"
    label = "checkin"
