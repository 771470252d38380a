from hadir.domain.signals import office_code_missing
from tests.domain.signals.conftest import detect, make_input, obs, text


def test_it_flags_a_check_in_without_the_code_colleagues_send():
    colleagues = [obs(employee_id=e) for e in range(10, 22)]
    missing = obs(employee_id=5, office_code_valid=None)
    [hit] = detect(office_code_missing, make_input([*colleagues, missing]))
    assert hit.employee_id == 5
    assert hit.evidence.event_ids == (missing.event_id,)
    assert "92%" in text(hit)


def test_a_workplace_without_a_code_screen_does_not_fire():
    events = [obs(employee_id=e, office_code_valid=None) for e in range(10, 30)]
    assert detect(office_code_missing, make_input(events)) == []
