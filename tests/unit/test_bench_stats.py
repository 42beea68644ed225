import pytest

from plotwise.bench.stats import interleaved_medians, percentile


def test_percentile_interpolates_between_ranks_like_numpy():
    values = [float(v) for v in range(1, 101)]  # 1..100
    assert percentile(values, 50) == pytest.approx(50.5)
    assert percentile(values, 95) == pytest.approx(95.05)
    assert percentile([3.0, 1.0, 2.0], 50) == 2.0


def test_percentile_of_one_value_is_that_value_and_of_none_is_an_error():
    assert percentile([7.0], 95) == 7.0
    with pytest.raises(ValueError):
        percentile([], 50)


def test_interleaved_medians_runs_each_action_after_a_warm_up_taking_turns():
    calls: list[str] = []
    medians = interleaved_medians([lambda: calls.append("a"), lambda: calls.append("b")], runs=3)
    assert len(medians) == 2
    assert all(m >= 0 for m in medians)
    assert calls == ["a", "b"] * 4
