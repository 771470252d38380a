import subprocess
import sys
from collections import Counter
from datetime import date

import pytest

from hadir.domain.geo import Geofence, haversine_m
from hadir.domain.nip import parse_nip
from hadir.sim.regency import (
    GOOD,
    KEPALA_OPD,
    NON_ASN,
    PNS,
    PPPK,
    TIME_ZONE,
    plan_regency,
)

TODAY = date(2026, 1, 1)


@pytest.fixture(scope="module")
def plan():
    return plan_regency(seed=2026, employees=1000)


def test_it_gives_the_same_plan_byte_for_byte_for_the_same_seed(plan):
    again = plan_regency(seed=2026, employees=1000)
    assert again == plan
    assert again.to_json() == plan.to_json()


def test_it_gives_another_plan_for_another_seed(plan):
    other = plan_regency(seed=7, employees=1000)
    assert other.to_json() != plan.to_json()
    assert {e.identifier for e in other.employees} != {e.identifier for e in plan.employees}


def test_it_has_about_twenty_opds_and_the_employees_asked_for(plan):
    assert 18 <= len(plan.opds) <= 24
    assert len(plan.employees) == 1000
    assert len(plan_regency(seed=1, employees=120).employees) == 120


def test_it_refuses_fewer_employees_than_the_opds_need():
    with pytest.raises(ValueError, match="at least"):
        plan_regency(employees=20)


def test_identifiers_are_unique(plan):
    assert len({e.identifier for e in plan.employees}) == len(plan.employees)
    assert len({w.code for w in plan.workplaces}) == len(plan.workplaces)
    assert len({(u.opd_code, u.code) for u in plan.units}) == len(plan.units)


def test_every_asn_nip_validates_and_matches_the_person(plan):
    for e in plan.employees:
        if e.employee_type == NON_ASN:
            assert e.identifier.startswith(f"THL-{e.opd_code}-")
            continue
        nip = parse_nip(e.identifier, e.employee_type, today=TODAY)
        assert nip.birth_date == e.birth_date
        assert nip.gender == e.gender
        assert date(1965, 1, 1) <= nip.birth_date <= date(2000, 12, 31)
        assert nip.appointment_year - nip.birth_date.year > 20
        assert (nip.appointment_month is None) == (e.employee_type == PPPK)
        assert e.active_from.year == nip.appointment_year


def test_the_type_mix_is_about_55_20_25(plan):
    mix = Counter(e.employee_type for e in plan.employees)
    assert 0.50 <= mix[PNS] / 1000 <= 0.60
    assert 0.15 <= mix[PPPK] / 1000 <= 0.25
    assert 0.20 <= mix[NON_ASN] / 1000 <= 0.30


def test_every_geofence_parses_and_both_shapes_are_used(plan):
    shapes = Counter()
    for w in plan.workplaces:
        fence = Geofence.from_dict(w.geofence)
        shapes[w.geofence["type"]] += 1
        assert fence.signed_distance_m(w.centre_lat, w.centre_lon) < 0
        if fence.radius_m is not None:
            assert 60 <= fence.radius_m <= 150
        assert w.time_zone == TIME_ZONE
    assert shapes["circle"] >= 5
    assert shapes["polygon"] >= 5


def test_town_workplaces_are_in_sampit_and_remote_ones_upriver(plan):
    for w in plan.workplaces:
        if w.tier == GOOD:
            assert -2.57 <= w.centre_lat <= -2.50
            assert 112.92 <= w.centre_lon <= 112.98
        else:
            assert w.centre_lat > -2.0  # north of Sampit along the Mentaya
            assert w.tier in {"poor", "none"}


def test_the_remote_opds_only_have_poor_or_no_network(plan):
    remote = {o.code for o in plan.opds if o.remote}
    assert {"KEC-ANTANG", "KEC-BUKIT", "PKM-TBGKALANG", "SDN-BUKIT"} <= remote
    for w in plan.workplaces:
        if w.opd_code in remote:
            assert w.tier in {"poor", "none"}
    tiers = {w.tier for w in plan.workplaces}
    assert tiers == {"good", "poor", "none"}


def test_networks_come_from_documentation_ranges_only(plan):
    networks = [n for w in plan.workplaces for n in w.public_networks]
    assert networks
    for network in networks:
        assert network.startswith(("192.0.2.", "198.51.100.", "203.0.113."))
    assert len(set(networks)) == len(networks)
    assert any(w.known_bssids for w in plan.workplaces)


def test_supervisor_chains_end_at_the_kepala_opd_within_the_opd(plan):
    people = plan.employee_by_identifier
    for e in plan.employees:
        seen = set()
        current = e
        while current.supervisor is not None:
            assert current.identifier not in seen, "cycle"
            seen.add(current.identifier)
            current = people[current.supervisor]
            assert current.opd_code == e.opd_code
        assert current.position == KEPALA_OPD


def test_each_opd_has_one_kepala_and_the_kepala_is_pns(plan):
    heads = Counter(e.opd_code for e in plan.employees if e.position == KEPALA_OPD)
    assert set(heads) == {o.code for o in plan.opds}
    assert set(heads.values()) == {1}
    for opd in plan.opds:
        assert plan.head_of(opd.code).employee_type == PNS


def test_everyone_has_a_workplace_and_some_teachers_and_nurses_have_two(plan):
    for e in plan.employees:
        assert 1 <= len(e.workplace_codes) <= 2
        assert all(code in plan.workplace_by_code for code in e.workplace_codes)
        assert plan.workplace_by_code[e.workplace_codes[0]].opd_code == e.opd_code
    two = [e for e in plan.employees if len(e.workplace_codes) == 2]
    assert two
    assert {e.job for e in two} <= {"teacher", "health"}


def test_homes_are_a_few_km_from_work_and_outside_the_fence(plan):
    for e in plan.employees:
        work = plan.workplace_by_code[e.workplace_codes[0]]
        distance = haversine_m(work.centre_lat, work.centre_lon, e.home_lat, e.home_lon)
        assert 300 <= distance <= 6500
        assert work.fence().signed_distance_m(e.home_lat, e.home_lon) > 0


def test_names_look_indonesian_and_vary(plan):
    names = [e.name for e in plan.employees]
    assert len(set(names)) > 700
    assert any("Dohong" in n or "Tundjung" in n for n in names)  # Dayak
    assert any(n.startswith("Andi ") for n in names)  # Bugis


def test_the_plan_does_not_import_django():
    code = (
        "import sys, hadir.sim.regency; assert not any(m.startswith('django') for m in sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
