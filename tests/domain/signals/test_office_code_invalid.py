from hadir.domain.signals import office_code_invalid
from tests.domain.signals.conftest import detect, make_input, obs


def test_it_flags_an_accepted_event_with_an_invalid_code():
    event = obs(
        office_code_valid=False,
        verdict="accepted_with_warnings",
        reason_codes={"office_code_invalid"},
    )
    [hit] = detect(office_code_invalid, make_input([event]))
    assert hit.evidence.event_ids == (event.event_id,)
    assert hit.severity == 0.35


def test_a_rejected_typo_weighs_little():
    typo = obs(office_code_valid=False, verdict="rejected", time="07:24")
    [hit] = detect(office_code_invalid, make_input([typo, obs(time="07:25")]))
    assert hit.severity == 0.15


def test_valid_or_absent_codes_do_not_fire():
    events = [obs(), obs(kind="check_out", time="16:00", office_code_valid=None)]
    assert detect(office_code_invalid, make_input(events)) == []
