import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hadir.settings")
django_application = get_wsgi_application()


def _warm_up() -> None:
    # Load the URL configuration (the API, its schemas, every app's views) while the worker
    # boots, not during its first request: otherwise the first check-ins after a restart wait
    # about a second.
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - the attribute access does the loading


_warm_up()

from hadir.checkin.wsgi_events import with_events_fast_path  # noqa: E402 - needs Django set up

application = with_events_fast_path(django_application)
