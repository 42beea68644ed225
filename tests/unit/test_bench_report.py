import gzip

import pytest

from plotwise.bench.bundle import bundle_sizes
from plotwise.bench.figures import peer_figures, tpch_figures
from plotwise.bench.report import Figure, all_met, render_table
from plotwise.errors import BenchError


def test_a_figure_is_met_within_its_target_and_unjudged_without_one():
    assert Figure("a", 50.0, "ms", 50.0).met is True
    assert Figure("b", 50.1, "ms", 50.0).met is False
    assert Figure("c", 1e9, "ms").met is None
    assert all_met([Figure("a", 1, "ms", 2), Figure("c", 9, "x")])
    assert not all_met([Figure("a", 1, "ms", 2), Figure("b", 3, "n", 0)])


def test_the_table_shows_value_target_and_verdict_per_line():
    table = render_table(
        [
            Figure("first SSE event p95", 3.25, "ms", 50.0, "p50 2.0"),
            Figure("refresh ratio", 1.712, "x", 1.3),
            Figure("turn errors", 0, "n", 0),
        ]
    ).splitlines()
    assert table[0].split()[:5] == ["figure", "value", "unit", "target", "met"]
    assert table[2].split()[-6:] == ["3.2", "ms", "50.0", "yes", "p50", "2.0"]
    assert table[3].split()[-4:] == ["1.71", "x", "1.30", "NO"]
    assert table[4].split()[-4:] == ["0", "n", "0", "yes"]


def test_peer_overall_ratio_is_the_ratio_of_summed_medians():
    rows = [
        {"query": "q1", "plotwise_ms": 10.0, "datasette_ms": 100.0, "ratio": 0.1},
        {"query": "q2", "plotwise_ms": 30.0, "datasette_ms": 20.0, "ratio": 1.5},
    ]
    overall = peer_figures(rows)[-1]
    assert overall.value == pytest.approx(40 / 120)
    assert overall.target == 0.5 and overall.met


def test_tpch_figures_judge_sf1_and_report_growth_from_the_smallest_scale():
    rows = [
        {"scale": s, "label": "q", "question": "Q?", "turn_ms": ms, "samples": [ms], "errors": []}
        for s, ms in ((0.1, 100.0), (1.0, 1600.0))
    ]
    small, big, errors = tpch_figures(rows)
    assert small.target is None and big.target == 1500.0 and big.met is False
    assert "x16.0 vs SF 0.1" in big.detail
    assert errors.value == 0 and errors.met
    rows[0]["errors"] = ["no data event"]
    assert tpch_figures(rows)[-1].met is False


def test_bundle_sizes_gzip_each_script_and_style_sheet(tmp_path):
    (tmp_path / "assets").mkdir()
    script = b"console.log('plotwise');" * 500
    (tmp_path / "assets" / "index.js").write_bytes(script)
    (tmp_path / "assets" / "index.css").write_bytes(b"body{margin:0}")
    (tmp_path / "index.html").write_bytes(b"<html></html>" * 100)
    sizes = bundle_sizes(tmp_path)
    assert set(sizes) == {"assets/index.js", "assets/index.css"}
    assert sizes["assets/index.js"] == len(gzip.compress(script, compresslevel=9, mtime=0))
    assert sizes["assets/index.js"] < len(script)


def test_bundle_sizes_without_a_build_is_an_error(tmp_path):
    with pytest.raises(BenchError, match="make build"):
        bundle_sizes(tmp_path)
