import pytest

from plotwise.evaluation import results_match


@pytest.mark.parametrize(
    ("gold", "predicted"),
    [
        ([["UA", 10]], [["UA", 10]]),
        ([["UA", 10], ["AA", 5]], [["AA", 5], ["UA", 10]]),
        ([["UA", 1.23456]], [["UA", 1.2349]]),
        ([["UA", 10]], [[10, "UA"]]),
        ([["UA", 10]], [["UA", "United", 10]]),
        ([[5]], [[5.0]]),
        ([], []),
        ([["x", None]], [["x", None]]),
    ],
)
def test_matching_results(gold, predicted):
    assert results_match(gold, predicted)


@pytest.mark.parametrize(
    ("gold", "predicted"),
    [
        ([["UA", 10]], [["UA", 11]]),
        ([["UA", 10], ["AA", 5]], [["UA", 10]]),
        ([["UA", 10], ["UA", 10]], [["UA", 10], ["AA", 10]]),
        ([["UA", 10]], [["UA"]]),
        ([["UA", 1.234]], [["UA", 1.24]]),
        ([["UA", 10], ["AA", 5]], [["UA", 5], ["AA", 10]]),
    ],
)
def test_mismatching_results(gold, predicted):
    assert not results_match(gold, predicted)
