"""Every signal speaks through message ids: each one it may emit has its template in the
catalogue, translated, and renders with the values the signal gives it, in both languages.

The signal tests render every hit they see (conftest.detect); the variants no other test reaches
are produced here, and the items of listings are rendered on their own.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from hadir.domain.signals import (
    bad_record,
    challenge_offsite,
    clock_tampering,
    geofence_uncertain,
    outside_geofence,
    runner,
    shared_device,
)
from hadir.fraud.evidence_text import EXTRAS, SIGNAL_LABELS, TEMPLATES, render, signal_label
from tests.domain.signals.conftest import (
    assert_renders,
    challenge,
    detect,
    device,
    make_input,
    obs,
    text,
)
from tests.test_i18n import read_po

SIGNALS = (*runner.REGISTRY, bad_record)


def test_every_message_a_signal_declares_has_a_template():
    for module in SIGNALS:
        assert module.MESSAGES, module.CODE
        for message in module.MESSAGES:
            assert message.split(".")[0] == module.CODE, message
            assert message in TEMPLATES, message


def test_every_template_and_label_is_translated_in_the_catalogue():
    po = Path(settings.BASE_DIR) / "locale" / "id" / "LC_MESSAGES" / "django.po"
    translated = {e["msgid"]: e["msgstr"] for e in read_po(po) if e.get("msgstr")}
    wanted = [
        *TEMPLATES.values(),
        *(extra for extras in EXTRAS.values() for _, extra in extras),
        *SIGNAL_LABELS.values(),
    ]
    with translation.override("en"):
        missing = [str(t) for t in wanted if str(t) not in translated]
    assert not missing, missing
    for module in SIGNALS:
        with translation.override("id"):
            indonesian = signal_label(module.CODE)
        with translation.override("en"):
            assert indonesian != signal_label(module.CODE), module.CODE


def test_an_answer_clearly_but_not_far_outside():
    answer = obs(
        kind="presence_check", time="10:03", geofence_distance_m=500.0, challenge_id="ch-1"
    )
    ch = challenge("ch-1", answered=answer.event_id, inside=False)
    [hit] = detect(challenge_offsite, make_input([obs(), answer], challenges=[ch]))
    assert hit.evidence.message == "challenge_offsite.clear"
    assert "500 m outside" in text(hit)
    assert "500 m di luar geofence" in text(hit, "id")


def test_an_answer_just_outside_with_a_precise_fix_in_town():
    answer = obs(kind="presence_check", time="10:03", geofence_distance_m=40.0, challenge_id="c")
    ch = challenge("c", answered=answer.event_id, inside=False)
    [hit] = detect(challenge_offsite, make_input([obs(), answer], challenges=[ch]))
    assert hit.evidence.message == "challenge_offsite.unclear"


def test_an_answer_judged_outside_whose_fix_the_analysis_lacks():
    ch = challenge("c", answered="#999", inside=False)
    [hit] = detect(challenge_offsite, make_input([obs()], challenges=[ch]))
    assert hit.evidence.message == "challenge_offsite.unknown"
    assert "#999" in text(hit, "id")


def test_marks_made_on_receipt_without_a_distance():
    outside = obs(geofence_distance_m=None, reason_codes={"outside_geofence"})
    [hit] = detect(outside_geofence, make_input([outside]))
    assert hit.evidence.message == "outside_geofence.flagged"
    near = obs(geofence_distance_m=None, reason_codes={"geofence_uncertain"})
    [hit] = detect(geofence_uncertain, make_input([near]))
    assert hit.evidence.message == "geofence_uncertain.flagged"


def test_a_device_of_another_employee_nobody_registered_here():
    borrowed = obs(employee_id=2, device_id=9, reason_codes={"device_employee_mismatch"})
    [hit] = detect(shared_device, make_input([borrowed], devices=[device(7, 1)]))
    assert hit.evidence.message == "shared_device.enrolled_to_another"


def test_a_phone_enrolled_to_nobody_used_by_two():
    a = obs(employee_id=1, device_id=9, time="07:21")
    b = obs(employee_id=2, device_id=9, time="07:22")
    hits = detect(shared_device, make_input([a, b], devices=[device(7, 1)]))
    assert {h.evidence.message for h in hits} == {"shared_device.same_day_no_owner"}


@pytest.mark.parametrize(
    "event",
    [
        {"device_time": None, "reason_codes": {"clock_tampering"}},
        {"reason_codes": {"clock_tampering"}},
        {"queued_offline": True, "reason_codes": {"clock_tampering"}},
        {"device_time": "07:00", "time": "08:10", "received_at": "08:10"},
        {"device_time": "07:00", "time": "08:10", "received_at": "09:00", "queued_offline": True},
        {"device_time": "09:30", "time": "08:10", "received_at": "09:00", "queued_offline": True},
    ],
)
def test_every_shape_of_a_wrong_clock_renders(event):
    if isinstance(event.get("device_time"), str):
        from tests.domain.signals.conftest import at

        event = {**event, "device_time": at(event["device_time"])}
    [hit] = detect(clock_tampering, make_input([obs(**event)]))
    [item] = hit.evidence.values["items"]
    assert item["message"] in TEMPLATES
    assert_renders(hit.evidence)


def test_a_challenge_answered_late_is_listed_as_late():
    from hadir.domain.signals import challenge_missed

    answer = obs(kind="presence_check", time="10:40", challenge_id="c")
    ch = challenge("c", answered=answer.event_id, inside=True, minutes=15)
    [hit] = detect(challenge_missed, make_input([obs(), answer], challenges=[ch]))
    assert hit.evidence.values["items"][0]["message"] == "item.challenge_late"
    assert "answered late" in text(hit)


def test_numbers_follow_the_language():
    values = {"day": "2026-10-05", "check_in": "#1", "check_in_at": "07:20", "event": "#2"}
    values |= {"at": "16:05", "verdict": "accepted", "distance_m": 8300, "accuracy_m": 9.0}
    values |= {"days": 1}
    with translation.override("id"):
        indonesian = render("checkout_far_away", values, strict=True)
    with translation.override("en"):
        english = render("checkout_far_away", values, strict=True)
    assert "8,3 km" in indonesian
    assert "presensi pulang pukul 16:05" in indonesian
    assert "8.3 km" in english
    assert "checked out at 16:05" in english


def test_an_unknown_message_or_a_missing_value_never_breaks_a_page():
    assert "no_such_message" in render("no_such_message", {"a": 1})
    assert render("checkout_far_away", {"day": "2026-10-05"}).startswith("checkout_far_away")
    with pytest.raises(KeyError):
        render("checkout_far_away", {"day": "2026-10-05"}, strict=True)
