from hadir.domain.signals import foreign_wifi, scoring
from hadir.domain.signals.policy import DEFAULT_POLICY
from tests.domain.signals.conftest import REMOTE, TOWN, detect, make_input, obs, text, workday

OFFICE = (("aa:00:00:00:00:01", -60), ("aa:00:00:00:00:02", -75))
NEIGHBOUR = (("bb:00:00:00:00:09", -88),)
HOME = (("cc:00:00:00:00:07", -41),)


def month(employee_id, scans, *, workplace_id=TOWN, geofence_distance_m=-15.0):
    """One check-in a working day, inside the fence, with the given scan per day."""
    return [
        obs(
            employee_id=employee_id,
            workplace_id=workplace_id,
            day=workday(n),
            wifi=scan,
            office_code_valid=None,
            geofence_distance_m=geofence_distance_m,
        )
        for n, scan in enumerate(scans)
    ]


def colleagues(workplace_id=TOWN, scan=OFFICE):
    return [
        e
        for employee_id in (11, 12, 13)
        for e in month(employee_id, [scan] * 15, workplace_id=workplace_id)
    ]


def test_it_flags_an_employee_whose_scans_inside_never_overlap_the_colleagues():
    # Wi-Fi on some days, always the same home router; no registered networks needed.
    mine = month(1, [HOME, (), HOME, HOME, (), HOME, (), HOME])
    hits = detect(foreign_wifi, make_input(mine + colleagues(scan=NEIGHBOUR)))
    assert {h.employee_id for h in hits} == {1}
    assert len(hits) == 5
    hit = hits[0]
    assert hit.evidence.event_ids == (mine[0].event_id,)
    assert hit.severity == DEFAULT_POLICY.foreign_wifi_private_severity
    assert hit.evidence.values["private_networks"] == ["cc:00:00:00:00:07"]
    assert "cc:00:00:00:00:07" in text(hit)
    assert hit.evidence.values["foreign_days"] == 5


def test_an_employee_whose_scans_overlap_the_colleagues_does_not_fire():
    # Now and then only a network nobody else saw (a far room), mostly the shared ones.
    mine = month(1, [OFFICE, OFFICE + HOME, HOME, NEIGHBOUR, (), OFFICE, OFFICE, OFFICE])
    assert detect(foreign_wifi, make_input(mine + colleagues())) == []


def test_without_colleagues_scanning_there_is_no_crowd_to_compare_with():
    mine = month(1, [HOME] * 8)
    lone = month(11, [()] * 15) + month(12, [()] * 15)
    assert detect(foreign_wifi, make_input(mine + lone)) == []


def test_scans_from_outside_the_fence_are_not_judged():
    mine = month(1, [HOME] * 8, geofence_distance_m=400.0)
    assert detect(foreign_wifi, make_input(mine + colleagues())) == []


def test_different_networks_on_each_day_are_a_weaker_sign():
    scans = [((f"cc:00:00:00:01:{n:02x}", -50),) for n in range(6)]
    hits = detect(foreign_wifi, make_input(month(1, scans) + colleagues()))
    assert len(hits) == 6
    assert {h.severity for h in hits} == {DEFAULT_POLICY.foreign_wifi_severity}


def test_the_tier_table_weighs_it_less_at_a_remote_office():
    mine = month(1, [HOME] * 6, workplace_id=REMOTE)
    inp = make_input(mine + colleagues(workplace_id=REMOTE))
    hits = detect(foreign_wifi, inp)
    assert len(hits) == 6
    day = scoring.flags(hits, inp=inp)[0]
    assert day.tier == "poor"
    assert day.score < DEFAULT_POLICY.review_threshold


def test_a_private_network_on_a_few_days_among_ordinary_ones_is_enough():
    # Three days at home (the router again and again) among six in the office.
    mine = month(1, [OFFICE, HOME, OFFICE, OFFICE, HOME, OFFICE, OFFICE, HOME, OFFICE])
    hits = detect(foreign_wifi, make_input(mine + colleagues()))
    assert [h.day for h in hits] == [workday(1), workday(4), workday(7)]
    assert hits[0].evidence.values["p_value"] > DEFAULT_POLICY.foreign_wifi_p_value


def test_a_personal_hotspot_also_seen_beside_the_office_networks_is_not_private():
    mine = month(1, [OFFICE + HOME, HOME, OFFICE, OFFICE, HOME, OFFICE, OFFICE, HOME, OFFICE])
    assert detect(foreign_wifi, make_input(mine + colleagues())) == []
