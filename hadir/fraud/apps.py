from django.apps import AppConfig


class FraudConfig(AppConfig):
    name = "hadir.fraud"
    label = "fraud"
