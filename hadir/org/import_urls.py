"""URLs of the admin's master-data import page (views in hadir.org.import_views)."""

try:
    from hadir.org.import_views import urlpatterns
except ImportError:  # the import page is optional while the module is absent
    urlpatterns = []
