from hadir.domain.signals import same_second
from tests.domain.signals.conftest import detect, make_input, obs, text, workday


def test_it_flags_check_ins_at_the_same_second_every_day():
    scripted = [obs(day=workday(d), time="07:29:13") for d in range(6)]
    scripted.append(obs(day=workday(6), time="07:29:14"))  # one second of network latency
    hits = detect(same_second, make_input(scripted))
    assert len(hits) == 7
    assert hits[0].evidence.event_ids[0] == scripted[0].event_id
    assert "07:29:13" in text(hits[0])
    assert hits[0].severity == 0.55


def test_honest_arrival_times_do_not_fire(rng):
    events = [
        obs(day=workday(d), time=f"07:{rng.randint(5, 34):02d}:{rng.randint(0, 59):02d}")
        for d in range(22)
    ]
    assert detect(same_second, make_input(events)) == []
