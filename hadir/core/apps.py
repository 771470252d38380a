from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "hadir.core"
    label = "core"

    def ready(self) -> None:
        from django.utils.translation import gettext

        from hadir.domain import reasons

        reasons.use_translator(gettext)  # verdict reasons in the user's language
