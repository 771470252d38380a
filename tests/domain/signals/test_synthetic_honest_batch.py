from hadir.domain.signals import runner
from hadir.sim.synthetic_observations import batch


def test_honest_synthetic_people_in_town_and_remote_stay_below_review():
    inp = batch(300)
    assert len(inp.observations) == 300 * 44
    result = runner.run(inp)
    assert result.signal_errors == {}
    assert result.flagged_months() == []
    assert result.flagged_days() == []
