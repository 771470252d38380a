"""The UI speaks Bahasa Indonesia by default; English is available.

Our strings are English msgids; hadir/locale/id/LC_MESSAGES/django.po holds their Indonesian
translations and the compiled django.mo is shipped with it (a server need not have gettext).
When you add or change a string:

    cd hadir && HADIR_VAR_DIR=/tmp/hadir-var ../.venv/bin/python -m django makemessages \
        -l id --settings=hadir.settings -i "migrations/*"
    # translate the new entries in hadir/locale/id/LC_MESSAGES/django.po, then
    msgfmt --check -o locale/id/LC_MESSAGES/django.mo locale/id/LC_MESSAGES/django.po
"""

import ast
import gettext
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from hadir.checkin.models import Device, DeviceStatus
from hadir.org.models import ConnectivityTier, Employee, RoleKind, Workplace

HADIR_DIR = Path(settings.BASE_DIR)
LOCALE_DIR = HADIR_DIR / "locale"
PO_FILE = LOCALE_DIR / "id" / "LC_MESSAGES" / "django.po"
MO_FILE = PO_FILE.with_suffix(".mo")


@pytest.fixture(autouse=True)
def _back_to_the_default_language():
    yield
    translation.deactivate()  # a request below may have left English active in this thread


# A PO reader: just enough of the format for the checks below (gettext is not needed) ---------


def read_po(path: Path) -> list[dict]:
    """The live entries of a PO file: {"msgid", "msgstr", "msgid_plural"?, "msgctxt"?, "flags"}.
    msgstr[n] are collected as "msgstr[n]" keys. Obsolete (#~) entries are skipped."""
    entries = []
    for block in re.split(r"\n[ \t]*\n", path.read_text(encoding="utf-8")):
        entry, key = {"flags": set()}, None
        for line in block.strip().splitlines():
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                entry[key] += ast.literal_eval(line)
            else:
                key, _, value = line.partition(" ")
                entry[key] = ast.literal_eval(value)
        if "msgid" in entry:
            entries.append(entry)
    return entries


def translations(entry: dict) -> list[str]:
    return [value for key, value in entry.items() if key.startswith("msgstr")]


def catalogue() -> list[dict]:
    return [entry for entry in read_po(PO_FILE) if entry["msgid"]]  # without the header


# The catalogue ------------------------------------------------------------------------------


def test_the_catalogue_has_a_proper_header():
    header = next(entry for entry in read_po(PO_FILE) if entry["msgid"] == "")
    assert "fuzzy" not in header["flags"]
    assert "Language: id\n" in header["msgstr"]
    assert "Content-Type: text/plain; charset=UTF-8\n" in header["msgstr"]
    assert "Plural-Forms: nplurals=1; plural=0;\n" in header["msgstr"]


def test_every_string_is_translated_and_none_is_fuzzy():
    entries = catalogue()
    assert len(entries) > 100
    untranslated = [e["msgid"] for e in entries if not all(translations(e))]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert not untranslated, f"translate these in {PO_FILE}: {untranslated}"
    assert not fuzzy, f"review these fuzzy entries in {PO_FILE}: {fuzzy}"


PERCENT = re.compile(r"%(?:\(\w+\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxX%]")
BRACES = re.compile(r"\{(\w*)[^{}]*\}")


def test_translations_keep_the_placeholders():
    for entry in catalogue():
        for text in translations(entry):
            if "python-format" in entry["flags"]:
                assert sorted(PERCENT.findall(text)) == sorted(PERCENT.findall(entry["msgid"])), (
                    entry["msgid"]
                )
            if "python-brace-format" in entry["flags"]:
                assert sorted(BRACES.findall(text)) == sorted(BRACES.findall(entry["msgid"])), (
                    entry["msgid"]
                )


def test_the_shipped_mo_file_is_compiled_from_the_current_po_file():
    with MO_FILE.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in catalogue():
        context = entry.get("msgctxt")
        if "msgid_plural" in entry:
            got = (
                compiled.npgettext(context, entry["msgid"], entry["msgid_plural"], 1)
                if context
                else compiled.ngettext(entry["msgid"], entry["msgid_plural"], 1)
            )
            expected = entry["msgstr[0]"]
        else:
            got = (
                compiled.pgettext(context, entry["msgid"])
                if context
                else compiled.gettext(entry["msgid"])
            )
            expected = entry["msgstr"]
        if got != expected:
            stale.append(entry["msgid"])
    assert not stale, f"recompile {MO_FILE.name} with msgfmt: {stale[:5]}"


@pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("xgettext", "msguniq", "msgmerge", "msgattrib")),
    reason="GNU gettext is not installed",
)
def test_the_catalogue_holds_every_string_of_the_code(tmp_path, monkeypatch):
    """makemessages on a copy of the code: every marked string must already be in our .po."""
    copy = tmp_path / "hadir"
    shutil.copytree(
        HADIR_DIR,
        copy,
        ignore=shutil.ignore_patterns("locale", "__pycache__", "*.pyc", "migrations"),
    )
    (copy / "locale").mkdir()
    monkeypatch.chdir(copy)
    with translation.override(None):
        call_command("makemessages", locale=["id"], ignore_patterns=["migrations/*"], verbosity=0)
    fresh = read_po(copy / "locale" / "id" / "LC_MESSAGES" / "django.po")
    ours = {(e.get("msgctxt"), e["msgid"]) for e in catalogue()}
    missing = sorted(
        e["msgid"] for e in fresh if e["msgid"] and (e.get("msgctxt"), e["msgid"]) not in ours
    )
    assert not missing, f"run makemessages (see {__name__}) and translate: {missing}"


# Our strings in Indonesian and in English ---------------------------------------------------


def test_our_strings_speak_indonesian():
    with translation.override("id"):
        assert str(Employee._meta.verbose_name) == "pegawai"
        assert str(Employee._meta.get_field("supervisor").verbose_name) == "atasan langsung"
        assert str(Workplace._meta.verbose_name) == "tempat kerja"
        assert str(Workplace._meta.get_field("connectivity_tier").verbose_name) == (
            "tingkat konektivitas"
        )
        assert str(Device._meta.verbose_name) == "perangkat"
        assert str(ConnectivityTier.POOR.label) == "buruk (terpencil)"
        assert str(ConnectivityTier.GOOD.label) == "baik (kota)"
        assert str(DeviceStatus.PENDING.label) == "menunggu persetujuan"
        assert str(RoleKind.OPD_HEAD.label) == "Kepala OPD"


def test_our_strings_stay_english_in_english():
    with translation.override("en"):
        assert str(Employee._meta.verbose_name) == "employee"
        assert str(Workplace._meta.verbose_name) == "workplace"
        assert str(Device._meta.verbose_name) == "device"
        assert str(ConnectivityTier.POOR.label) == "poor (remote)"
        assert str(DeviceStatus.PENDING.label) == "waiting for approval"


# Over HTTP: Indonesian by default, English on request ---------------------------------------

INDONESIAN_HEADER = "Hadir – administrasi presensi kabupaten"
ENGLISH_HEADER = "Hadir – regency attendance administration"


def login_page(client, accept_language: str | None = None) -> str:
    headers = {"Accept-Language": accept_language} if accept_language else {}
    response = client.get("/admin/login/", headers=headers)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_the_login_page_speaks_indonesian_by_default(client):
    page = login_page(client)
    assert '<html lang="id"' in page
    assert INDONESIAN_HEADER in page  # ours
    assert "Nama pengguna" in page  # Django's own admin translation
    assert ENGLISH_HEADER not in page


@pytest.mark.django_db
def test_the_login_page_speaks_english_with_the_language_cookie(client):
    assert settings.LANGUAGE_COOKIE_NAME == "django_language"
    client.cookies["django_language"] = "en"
    page = login_page(client)
    assert '<html lang="en"' in page
    assert ENGLISH_HEADER in page
    assert "Username" in page
    assert INDONESIAN_HEADER not in page


@pytest.mark.django_db
def test_the_language_switcher_sets_the_cookie_and_switches_back(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/admin/login/"})
    assert response.status_code == 302
    assert client.cookies["django_language"].value == "en"
    assert ENGLISH_HEADER in login_page(client)
    client.post("/i18n/setlang/", {"language": "id", "next": "/admin/login/"})
    assert INDONESIAN_HEADER in login_page(client)


@pytest.mark.django_db
def test_an_indonesian_browser_gets_indonesian(client):
    page = login_page(client, accept_language="id-ID,id;q=0.9,en;q=0.8")
    assert '<html lang="id"' in page
    assert INDONESIAN_HEADER in page


@pytest.mark.django_db
def test_an_english_browser_still_gets_indonesian_until_the_user_chooses(client):
    page = login_page(client, accept_language="en-US,en;q=0.9")
    assert '<html lang="id"' in page
    assert INDONESIAN_HEADER in page
