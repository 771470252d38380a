"""URLs of the admin's master-data import page."""

from hadir.org.import_views import urlpatterns

__all__ = ["urlpatterns"]
