from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "hadir.jobs"
    label = "jobs"
    verbose_name = _("Background jobs")

    def ready(self) -> None:
        from hadir.jobs import registry

        registry.discover()
        post_migrate.connect(_create_jobs, sender=self)


def _create_jobs(using="default", **kwargs) -> None:
    """Each registered job gets its schedule row (from the registry's defaults) on migrate."""
    from hadir.jobs.services import sync_jobs

    sync_jobs(using=using)
