from hadir.domain.signals import challenge_offsite
from tests.domain.signals.conftest import REMOTE, challenge, detect, make_input, obs, text


def test_it_flags_an_answer_from_kilometres_away():
    answer = obs(
        kind="presence_check",
        time="10:03",
        geofence_distance_m=3_200.0,
        accuracy_m=10.0,
        challenge_id="ch-1",
    )
    ch = challenge("ch-1", answered=answer.event_id, inside=False)
    [hit] = detect(challenge_offsite, make_input([obs(), answer], challenges=[ch]))
    assert hit.evidence.event_ids == (answer.event_id, "ch-1")
    assert hit.severity == 0.7
    assert "3200 m outside" in text(hit)


def test_a_rough_remote_fix_just_outside_does_not_fire():
    answer = obs(
        workplace_id=REMOTE,
        kind="presence_check",
        time="10:03",
        geofence_distance_m=60.0,
        accuracy_m=80.0,
        challenge_id="ch-1",
    )
    ch = challenge("ch-1", answered=answer.event_id, inside=False)
    assert detect(challenge_offsite, make_input([answer], challenges=[ch])) == []


def test_an_answer_inside_does_not_fire():
    answer = obs(kind="presence_check", time="10:03", challenge_id="ch-1")
    ch = challenge("ch-1", answered=answer.event_id, inside=True)
    assert detect(challenge_offsite, make_input([answer], challenges=[ch])) == []
