from hadir.domain.signals import mock_location
from tests.domain.signals.conftest import detect, make_input, obs, text


def test_it_flags_an_accepted_check_in_with_the_mock_flag():
    fake = obs(mock=True, reason_codes={"mock_location"}, verdict="accepted_with_warnings")
    [hit] = detect(mock_location, make_input([fake, obs(kind="check_out", time="16:05")]))
    assert hit.severity == 0.85
    assert hit.evidence.event_ids == (fake.event_id,)
    assert "1 of 2 events" in text(hit)


def test_a_rejected_mock_attempt_weighs_less():
    attempt = obs(mock=True, verdict="rejected", reason_codes={"mock_location"})
    [hit] = detect(mock_location, make_input([attempt]))
    assert hit.severity == 0.4


def test_it_does_not_fire_without_the_flag():
    assert detect(mock_location, make_input([obs(), obs(kind="check_out", time="16:00")])) == []
