from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "hadir.org"
    label = "org"
    verbose_name = _("Regency master data")

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, post_save

        from hadir.org import audit
        from hadir.org.models import Employee, Role
        from hadir.org.scope import forget_scopes

        audit.connect()
        for model in (Role, Employee, get_user_model()):
            uid = f"hadir-scope-{model._meta.label}"
            post_save.connect(forget_scopes, sender=model, dispatch_uid=uid)
            post_delete.connect(forget_scopes, sender=model, dispatch_uid=uid)
