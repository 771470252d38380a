"""An event whose fix says "office" while its own Wi-Fi scan or request address says "home"."""

from hadir.domain.signals import contradiction, runner
from hadir.domain.signals.policy import DEFAULT_POLICY
from tests.domain.signals.conftest import (
    REMOTE,
    TOWN,
    challenge,
    detect,
    make_input,
    obs,
    text,
    workday,
)

OFFICE = (("aa:00:00:00:00:01", -60), ("aa:00:00:00:00:02", -75))
HOME = (("cc:00:00:00:00:07", -41),)
HOTSPOT = (("dd:00:00:00:00:03", -35),)


def days(employee_id, scans, *, workplace_id=TOWN, addr=None, distance=-15.0, kind="check_in"):
    return [
        obs(
            employee_id=employee_id,
            workplace_id=workplace_id,
            day=workday(n),
            kind=kind,
            time="16:05" if kind == "check_out" else "07:25",
            wifi=scan,
            office_code_valid=None,
            geofence_distance_m=distance,
            **({"remote_addr": addr} if addr else {}),
        )
        for n, scan in enumerate(scans)
    ]


def colleagues(workplace_id=TOWN, scan=OFFICE):
    return [
        e
        for employee_id in (11, 12, 13)
        for e in days(employee_id, [scan] * 6, workplace_id=workplace_id)
    ]


def test_a_check_out_placed_in_the_office_with_only_the_home_router_is_strong_on_its_own():
    honest_in = days(1, [OFFICE] * 5)
    home_out = days(1, [HOME] * 5, kind="check_out")
    inp = make_input(honest_in + home_out + colleagues())
    hits = detect(contradiction, inp)
    assert len(hits) == 5
    hit = hits[0]
    assert hit.evidence.message == "contradiction.wifi"
    assert hit.evidence.event_ids == (home_out[0].event_id,)
    assert "cc:00:00:00:00:07" in text(hit)
    result = runner.run(inp)
    levels = {d.day: d.level for d in result.days if d.employee_id == 1}
    assert set(levels.values()) == {"strong"}


def test_a_home_network_seen_once_is_not_yet_the_employees_own():
    mine = days(1, [HOME] + [OFFICE] * 4)
    assert detect(contradiction, make_input(mine + colleagues())) == []


def test_a_hotspot_carried_into_the_office_is_seen_beside_the_colleagues_networks():
    mine = days(1, [OFFICE + HOTSPOT] * 3 + [HOTSPOT] * 2)
    others = [
        e
        for employee_id in (11, 12)
        for e in days(employee_id, [OFFICE + HOTSPOT] * 5)  # the colleagues see it too
    ]
    assert detect(contradiction, make_input(mine + others)) == []


def test_without_colleagues_scanning_inside_there_is_nothing_to_contradict():
    mine = days(1, [HOME] * 5)
    assert detect(contradiction, make_input(mine + days(11, [()] * 5))) == []


def test_the_usual_off_site_address_contradicts_an_office_fix():
    evenings = days(1, [()] * 4, addr="36.80.1.9", distance=6_000.0, kind="check_out")
    mornings = days(1, [()] * 4, addr="36.80.1.9")
    hits = detect(contradiction, make_input(evenings + mornings + colleagues()))
    assert {h.evidence.message for h in hits} == {"contradiction.address"}
    assert all(h.severity == DEFAULT_POLICY.contradiction_address_severity for h in hits)


def test_a_carrier_address_shared_by_many_is_nobodys_home():
    mine = days(1, [()] * 4, addr="36.80.1.9", distance=6_000.0, kind="check_out")
    mine += days(1, [()] * 4, addr="36.80.1.9")
    shared = days(11, [()] * 4, addr="36.80.1.9")
    assert detect(contradiction, make_input(mine + shared + colleagues())) == []


def test_the_workplace_network_never_contradicts():
    mine = days(1, [HOME] * 5)
    mine = [o.__class__(**{**o.__dict__, "workplace_network": True}) for o in mine]
    assert detect(contradiction, make_input(mine + colleagues())) == []


def test_a_missed_challenge_after_a_contradiction_escalates():
    evenings = days(1, [()] * 4, addr="36.80.1.9", distance=6_000.0, kind="check_out")
    mornings = days(1, [()] * 4, addr="36.80.1.9")
    missed = challenge("ch_x", employee_id=1, issued="10:00", day=workday(0))
    inp = make_input(evenings + mornings + colleagues(), challenges=[missed])
    hits = detect(contradiction, inp)
    first = next(h for h in hits if h.day == workday(0))
    assert first.severity == DEFAULT_POLICY.contradiction_escalated_severity
    assert "ch_x" in first.evidence.event_ids
    assert "ch_x" in text(first)
    later = next(h for h in hits if h.day == workday(1))
    assert later.severity == DEFAULT_POLICY.contradiction_address_severity


def test_a_remote_office_gives_it_less_weight():
    mine = days(1, [HOME] * 5, workplace_id=REMOTE)
    result = runner.run(make_input(mine + colleagues(REMOTE)))
    weights = {
        r.weight
        for d in result.days
        if d.employee_id == 1
        for r in d.evidence
        if r.code == "contradiction"
    }
    assert weights == {DEFAULT_POLICY.weight("contradiction", "poor")}
