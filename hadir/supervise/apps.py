from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuperviseConfig(AppConfig):
    name = "hadir.supervise"
    label = "supervise"
    verbose_name = _("supervisors' web")

    def ready(self) -> None:
        from hadir.fraud.analysis import day_flags_replaced
        from hadir.supervise.reconcile import reapply

        day_flags_replaced.connect(reapply, dispatch_uid="supervise-spot-checks")
