from hadir.domain.signals import sequence_gap
from tests.domain.signals.conftest import detect, make_input, obs, text


def test_it_translates_the_ingestion_code():
    event = obs(reason_codes={"sequence_gap"}, seq=17)
    [hit] = detect(sequence_gap, make_input([event]))
    assert hit.evidence.event_ids == (event.event_id,)
    assert "sequence no. 17" in text(hit)


def test_no_gap_no_hit():
    assert detect(sequence_gap, make_input([obs()])) == []
