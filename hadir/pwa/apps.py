from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PwaConfig(AppConfig):
    name = "hadir.pwa"
    verbose_name = _("employee app")

    def ready(self) -> None:
        from hadir.pwa import signals  # noqa: F401 - connects the push on a new challenge
