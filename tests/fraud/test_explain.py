"""`hadir analyze --explain NIP --date D`: every signal considered for one employee-day, with
its value and why it did or did not count, in Indonesian by default."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hadir.domain.signals.runner import REGISTRY
from tests.fraud.test_analysis import HOME, MONDAY, OFFICE, phone_for, week_of_check_ins
from tests.fraud.test_context import PALANGKA, leave

pytestmark = pytest.mark.django_db
DAY = "2026-11-03"


def explained(regency, *options):
    out = io.StringIO()
    nip = regency.employee.identifier
    call_command("analyze", "--explain", nip, "--date", DAY, *options, stdout=out)
    return out.getvalue()


def test_a_flagged_day_is_explained_sign_by_sign_in_indonesian(regency):
    device, clock = phone_for(regency, MONDAY - timedelta(hours=1))
    week_of_check_ins(device, clock, HOME, mock=True)
    text = explained(regency)
    assert text.startswith(f"Penjelasan {DAY} untuk {regency.employee.identifier} Budi")
    mock = next(line for line in text.splitlines() if "[mock_location]" in line)
    assert mock.startswith(" + ")
    assert "muncul dan dihitung" in mock.lower()
    assert "Hasil: Skor" in text
    last = text.splitlines()[-1].lower()
    assert "kuat" in last or "perlu ditinjau" in last  # the level depends on the home tier


def test_every_signal_is_listed_with_why_it_did_not_fire(regency):
    device, clock = phone_for(regency, MONDAY - timedelta(hours=1))
    week_of_check_ins(device, clock, OFFICE)
    text = explained(regency)
    for module in REGISTRY:
        assert f"[{module.CODE}]" in text, module.CODE
    outside = next(line for line in text.splitlines() if "[outside_geofence]" in line)
    assert outside.startswith(" - ")
    assert "tidak muncul" in outside.lower()
    assert "tidak ada yang perlu ditinjau" in text.splitlines()[-1].lower()


def test_an_approved_duty_day_says_what_excused_its_signs(regency):
    request = leave(regency)
    device, clock = phone_for(regency, MONDAY - timedelta(hours=1))
    week_of_check_ins(device, clock, PALANGKA)
    text = explained(regency)
    assert f"#{request.pk}" in text
    excused = [line for line in text.splitlines() if line.startswith(" ~ ")]
    assert excused
    assert all("dimaafkan" in line.lower() for line in excused)
    english = explained(regency, "--language", "en")
    assert "excused: the events lie at the destination" in english.lower()


def test_an_unknown_employee_or_a_missing_date_is_a_clear_error(regency):
    with pytest.raises(CommandError, match="999"):
        call_command("analyze", "--explain", "999", "--date", DAY)
    with pytest.raises(CommandError, match="--date"):
        call_command("analyze", "--explain", regency.employee.identifier)


def test_every_explanation_message_has_a_template():
    from hadir.domain.signals.explain import MESSAGES
    from hadir.fraud.evidence_text import TEMPLATES

    assert [m for m in MESSAGES if m not in TEMPLATES] == []
