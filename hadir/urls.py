from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from hadir.api import api

urlpatterns = [
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
    path("admin/import/", include("hadir.org.import_urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("office/", include("hadir.checkin.urls")),
    path("app/", include("hadir.pwa.urls")),
    path("activate/", include("hadir.org.urls")),
    path("pantau/", include("hadir.supervise.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("pantau/", include("hadir.cases.urls")),
]
