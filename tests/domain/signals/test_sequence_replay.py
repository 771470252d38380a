from hadir.domain.signals import sequence_replay
from tests.domain.signals.conftest import detect, make_input, obs, text, workday


def test_it_flags_an_old_record_sent_again():
    original = obs(day=workday(0), seq=41, monotonic_ms=8_100_000, boot_count=3)
    copy = obs(day=workday(4), seq=41, monotonic_ms=8_100_000, boot_count=3)
    [hit] = detect(sequence_replay, make_input([original, copy]))
    assert hit.day == workday(4)
    assert hit.evidence.event_ids == (copy.event_id, original.event_id)
    assert "sequence number 41" in text(hit)
    assert hit.severity == 0.7


def test_it_translates_the_ingestion_code():
    event = obs(reason_codes={"sequence_replay"}, verdict="rejected")
    [hit] = detect(sequence_replay, make_input([event]))
    assert hit.evidence.event_ids == (event.event_id,)


def test_ordinary_sequences_do_not_fire():
    events = [obs(day=workday(d), seq=10 + d, monotonic_ms=1000 * d) for d in range(5)]
    assert detect(sequence_replay, make_input(events)) == []
