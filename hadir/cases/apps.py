from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "hadir.cases"
    label = "cases"
    verbose_name = _("flag review and discipline cases")
