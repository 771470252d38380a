from hadir.domain.signals import no_office_evidence
from tests.domain.signals.conftest import REMOTE, detect, make_input, obs, text, workday


def office_month(employee_id, days, *, evidence_days, workplace_id=1):
    """A check-in a day inside the fence; office Wi-Fi seen on the first `evidence_days`."""
    events = []
    for n in range(days):
        seen = n < evidence_days
        events.append(
            obs(
                employee_id=employee_id,
                workplace_id=workplace_id,
                day=workday(n),
                office_code_valid=None,
                bssid_match=True if seen else None,
            )
        )
    return events


def peers(workplace_id=1, evidence_days=18):
    return [
        e
        for employee_id in (11, 12, 13, 14)
        for e in office_month(
            employee_id, 20, evidence_days=evidence_days, workplace_id=workplace_id
        )
    ]


def test_it_flags_the_days_of_an_employee_who_never_shows_the_office_while_peers_do():
    mine = office_month(1, 20, evidence_days=6)
    hits = detect(no_office_evidence, make_input(mine + peers()))
    assert {h.employee_id for h in hits} == {1}
    assert len(hits) == 14
    hit = hits[0]
    assert hit.evidence.event_ids == (mine[6].event_id,)
    assert hit.evidence.values["days_without"] == 14
    assert hit.evidence.values["p_value"] < 1e-6
    assert "colleagues" in text(hit)


def test_an_employee_like_the_peers_does_not_fire():
    mine = office_month(1, 20, evidence_days=17)
    assert detect(no_office_evidence, make_input(mine + peers())) == []


def test_a_workplace_where_nobody_shows_the_office_does_not_fire():
    # No Wi-Fi registered, no office network, no code: nothing to compare with.
    mine = office_month(1, 20, evidence_days=0)
    assert detect(no_office_evidence, make_input(mine + peers(evidence_days=0))) == []


def test_remote_offices_are_not_judged():
    mine = office_month(1, 20, evidence_days=0, workplace_id=REMOTE)
    assert detect(no_office_evidence, make_input(mine + peers(workplace_id=REMOTE))) == []


def test_an_offline_event_lends_no_network_evidence():
    queued = obs(queued_offline=True, workplace_network=True, office_code_valid=None)
    online = obs(workplace_network=True, office_code_valid=None)
    assert not no_office_evidence.office_evidence(queued)
    assert no_office_evidence.office_evidence(online)


def test_the_binomial_tail():
    assert no_office_evidence.binomial_tail(10, 0, 0.3) == 1.0
    assert no_office_evidence.binomial_tail(2, 2, 0.5) == 0.25
    assert no_office_evidence.binomial_tail(3, 1, 0.0) == 0.0
