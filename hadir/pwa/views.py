"""The employee app's pages: the shell, its manifest and service worker, and a page that tells
how to try the app from a phone."""

from __future__ import annotations

import hashlib
import json
import socket
from functools import cache
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from hadir.pwa.texts import rendered

STATIC = Path(__file__).resolve().parent / "static" / "pwa"
# What the service worker keeps for offline use: the shell and everything it loads, and the QR
# decoder (an office without network is where scanning matters most).
SHELL_FILES = ("app.js", "db.js", "crypto.js", "events.js", "geo.js", "scan.js", "app.css")
OFFLINE_FILES = ("vendor/jsQR.js", "icons/icon-192.png", "icons/icon-512.png")


@cache
def version() -> str:
    """Changes whenever a file of the app or the catalogue changes: a new service worker then
    replaces the cache."""
    digest = hashlib.sha256()
    paths = sorted(STATIC.rglob("*")) + sorted((Path(__file__).parent / "templates").rglob("*"))
    paths.append(Path(settings.BASE_DIR) / "locale" / "id" / "LC_MESSAGES" / "django.mo")
    for path in paths:
        if path.is_file():
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def shell(request):
    context = {"texts": rendered(), "files": SHELL_FILES}
    response = render(request, "pwa/shell.html", context)
    response["Cache-Control"] = "no-cache"
    return response


def manifest(request):
    data = {
        "name": _("Hadir – attendance"),
        "short_name": "Hadir",
        "lang": request.LANGUAGE_CODE,
        "start_url": "/app/",
        "scope": "/app/",
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#f4f6f5",
        "theme_color": "#0b6e4f",
        "icons": [
            {
                "src": static("pwa/icons/icon-192.png"),
                "sizes": "192x192",
                "type": "image/png",
                "purpose": "any maskable",
            },
            {
                "src": static("pwa/icons/icon-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "any maskable",
            },
        ],
    }
    return JsonResponse(
        data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )


@never_cache
def service_worker(request):
    files = ["/app/", "/app/manifest.webmanifest"] + [
        static("pwa/" + name) for name in SHELL_FILES + OFFLINE_FILES
    ]
    source = (STATIC / "sw.js").read_text(encoding="utf-8")
    source = source.replace("__VERSION__", version()).replace("__FILES__", json.dumps(files))
    response = HttpResponse(source, content_type="text/javascript")
    response["Service-Worker-Allowed"] = "/app/"
    return response


def local_addresses() -> list[str]:
    """This machine's addresses on the local network, for a phone on the same Wi-Fi."""
    found = set()
    try:
        probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        probe.connect(("192.0.2.1", 9))  # nothing is sent: connect() on UDP only picks a route
        found.add(probe.getsockname()[0])
        probe.close()
    except OSError:
        pass
    return sorted(a for a in found if not a.startswith("127."))


def try_on_phone(request):
    port = request.get_port()
    context = {
        "app_url": request.build_absolute_uri("/app/"),
        "lan_urls": [f"http://{address}:{port}/app/" for address in local_addresses()],
        "port": port,
    }
    return render(request, "pwa/try.html", context)
