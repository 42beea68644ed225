import pytest
from pydantic import ValidationError

from plotwise.errors import BadRequestError
from plotwise.sql.params import QueryParamSpec, bind_values, engine_values

ORIGIN = QueryParamSpec(name="origin", type="select", default="JFK", options=["EWR", "JFK", "LGA"])
MONTH = QueryParamSpec(name="month", type="number", default=7, min=1, max=12, step=1)
START = QueryParamSpec(name="start", type="date", default="2013-01-01")
LATE = QueryParamSpec(name="late", type="boolean", default=False)
NAME = QueryParamSpec(name="name", type="text", default="United")
SPECS = [ORIGIN, MONTH, START, LATE, NAME]


def test_defaults_fill_what_is_not_given():
    assert bind_values(SPECS, {"month": 3}) == {
        "origin": "JFK",
        "month": 3,
        "start": "2013-01-01",
        "late": False,
        "name": "United",
    }


@pytest.mark.parametrize(
    ("values", "problem"),
    [
        ({"carrier": "UA"}, "unknown query parameter 'carrier'"),
        ({"origin": "BOS"}, "'origin' must be one of its options"),
        ({"month": 13}, "'month' must be between 1 and 12"),
        ({"month": "3"}, "'month' must be a number"),
        ({"month": True}, "'month' must be a number"),
        ({"start": "2013-02-30"}, "'start' is not a real date"),
        ({"start": "01/02/2013"}, "'start' must be a date YYYY-MM-DD"),
        ({"late": "yes"}, "'late' must be true or false"),
        ({"name": 5}, "'name' must be text"),
    ],
)
def test_bad_values_are_refused_by_name(values, problem):
    with pytest.raises(BadRequestError, match=problem):
        bind_values(SPECS, values)


@pytest.mark.parametrize(
    "spec",
    [
        {"name": "origin", "type": "select", "default": "JFK"},
        {"name": "origin", "type": "select", "default": "BOS", "options": ["JFK"]},
        {"name": "month", "type": "number", "default": "7"},
        {"name": "bad name", "type": "text", "default": "x"},
        {"name": "x", "type": "text", "default": "x", "options": ["x"]},
        {"name": "x", "type": "sql", "default": "x"},
    ],
)
def test_invalid_specs_are_refused(spec):
    with pytest.raises((ValidationError, BadRequestError)):
        QueryParamSpec.model_validate(spec)


def test_duplicate_declarations_are_refused():
    with pytest.raises(BadRequestError, match="declared twice"):
        bind_values([ORIGIN, ORIGIN], {})


def test_dates_are_bound_as_dates():
    import datetime

    bound = engine_values(SPECS, bind_values(SPECS))
    assert bound["start"] == datetime.date(2013, 1, 1)
    assert bound["origin"] == "JFK"
