from hadir.domain.signals import challenge_missed
from tests.domain.signals.conftest import challenge, detect, make_input, obs, text


def test_it_flags_an_unanswered_challenge_on_a_day_checked_in():
    check_in = obs(time="07:24")
    ch = challenge("ch-1", issued="10:00")
    [hit] = detect(challenge_missed, make_input([check_in], challenges=[ch]))
    assert hit.evidence.event_ids == (check_in.event_id, "ch-1")
    assert hit.severity == 0.35
    assert "no answer" in text(hit)


def test_two_missed_challenges_weigh_more():
    chs = [challenge("ch-1", issued="10:00"), challenge("ch-2", issued="14:00")]
    [hit] = detect(challenge_missed, make_input([obs()], challenges=chs))
    assert hit.severity == 0.5


def test_an_answer_in_time_does_not_fire():
    answer = obs(kind="presence_check", time="10:04", challenge_id="ch-1")
    ch = challenge("ch-1", issued="10:00", answered=answer.event_id, inside=True)
    assert detect(challenge_missed, make_input([obs(), answer], challenges=[ch])) == []


def test_a_day_without_a_check_in_does_not_fire():
    ch = challenge("ch-1", issued="10:00")
    assert (
        detect(challenge_missed, make_input([obs(kind="check_out", time="16:00")], challenges=[ch]))
        == []
    )


def test_a_challenge_after_check_out_does_not_fire():
    events = [obs(), obs(kind="check_out", time="12:00")]
    ch = challenge("ch-1", issued="14:00")
    assert detect(challenge_missed, make_input(events, challenges=[ch])) == []
