"""bench/compare.py: stored benchmark runs side by side, margins to the goals, regressions.

The results files here are invented (the shape run.py writes), with round figures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import load_bench


@pytest.fixture(scope="module")
def compare():
    return load_bench("compare")


def _probe(work_s: float, mb_s: float | None = None) -> dict[str, object]:
    size = 400_000
    return {"bytes": size, "work_s": work_s, "setup_s": 1.0, "detections": 500,
            "mb_s": round(size / work_s / 1e6, 3) if mb_s is None else mb_s}


def _results(commit: str, date: str, spacy_s: float = 30.0, jobs2_s: float = 6.0) -> dict[str, object]:
    """A complete results file: speechgate's pass 0.14 s, so Presidio+spaCy at `spacy_s` is
    spacy_s / 0.14 times slower; 1 job 11 s against `jobs2_s` with 2."""
    return {
        "size": "medium", "commit": commit, "date": date, "cores": 2, "cpu": "", "loadavg_start": 0.2,
        "same_text": {"speechgate": _probe(0.14), "re2-floor": _probe(0.07), "presidio-pattern": _probe(10.0),
                      "presidio-spacy": _probe(spacy_s), "speechgate-ner": _probe(5.0)},
        "audio_jobs2": {"files_s": 2500.0}, "audio_exiftool": {"files_s": 300.0},
        "startup": {"wall_s": 0.15, "heavy_modules": []}, "python_startup": {"wall_s": 0.05},
        "big_jsonl": {"bytes": 256 << 20, "rss_mb": 51.0, "mb_s": 4.5, "scanned_whole": True},
        "rss_few_files": {"rss_mb": 41.0, "files": 140}, "rss_many_files": {"rss_mb": 59.0, "files": 10000},
        "rss_part_files": {"rss_mb": 59.5, "files": 20000}, "rss_all_folders": {"rss_mb": 63.0, "files": 40000},
        "text_cli_jobs1": {"wall_s": 11.0, "mb_s": 2.6}, "text_cli_jobs2": {"wall_s": jobs2_s, "mb_s": 4.8},
        "two_processes": {"ceiling": 1.9},
        "cache": {"speedup": 12.5, "cold_s": 11.0, "warm_s": 0.88, "files": 20000, "pair_speedups": [11.0, 13.0]},
    }


def _write(folder: Path, res: dict[str, object]) -> Path:
    path = folder / f"results-{res['size']}-{res['commit']}-{str(res['date']).replace(':', '')}.json"
    path.write_text(json.dumps(res))
    return path


def test_margins_count_past_the_goal_either_way(compare):
    target = compare.run.Target
    assert target("k", "", "", True, 210.0, 200.0).margin() == pytest.approx(0.05)
    assert target("k", "", "", False, 190.0, 200.0).margin() == pytest.approx(-0.05)
    assert target("k", "", "", True, 0.15, 0.3, False).margin() == pytest.approx(1.0)  # at most 0.3 s: half of it
    assert target("k", "", "", False, 0.6, 0.3, False).margin() == pytest.approx(-0.5)
    assert target("k", "", "not measured", None).margin() is None


def test_a_run_that_misses_what_an_earlier_run_met_is_a_regression(compare, tmp_path, capsys):
    old = _write(tmp_path, _results("aaaaaaa", "2026-11-27T04:00:00Z", spacy_s=30.0))  # 214x
    new = _write(tmp_path, _results("bbbbbbb", "2026-11-27T05:00:00Z", spacy_s=27.0))  # 193x
    assert compare.main([str(new), str(old)]) == 1  # given newest first: still ordered by date
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith("spacy_200x"))
    assert row.split()[2:6] == ["200", "214.3", "!192.9", "1/2"] and "REGRESSED" in row
    assert row.split()[6] == "-3.6%"  # 192.9 is 3.6% short of 200
    assert out.index("1 = aaaaaaa") < out.index("2 = bbbbbbb")


def test_runs_that_meet_every_target_are_no_regression(compare, tmp_path, capsys):
    paths = [_write(tmp_path, _results(c, f"2026-11-27T0{h}:00:00Z", jobs2_s=s))
             for c, h, s in (("aaaaaaa", 4, 7.0), ("bbbbbbb", 5, 6.0))]  # jobs 2: 1.57x, then 1.83x
    assert compare.main([str(p) for p in paths]) == 0
    row = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("jobs2"))
    assert "!1.571" in row and "1.833" in row and "1/2" in row and "REGRESSED" not in row


def test_throughputs_are_taken_again_from_the_stored_times(compare, tmp_path, capsys):
    """Files before 5820a3d stored 0.0137 MB/s as 0.014: the ratio comes from the work times."""
    res = _results("aaaaaaa", "2026-11-27T04:00:00Z", spacy_s=28.758)
    res["same_text"]["speechgate"] = _probe(0.142, mb_s=2.817)
    res["same_text"]["presidio-spacy"] = _probe(28.758, mb_s=0.014)  # 2.817 / 0.014 = 201.2x
    assert compare.main([str(_write(tmp_path, res))]) == 0
    row = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("spacy_200x"))
    assert row.split()[3] == "202.5"


def test_the_default_is_the_newest_size_and_its_last_runs(compare, tmp_path):
    for hour in range(1, 5):
        _write(tmp_path, _results(f"c{hour}", f"2026-11-27T0{hour}:00:00Z"))
    small = {**_results("s9", "2026-11-26T09:00:00Z"), "size": "small"}  # older, another size
    _write(tmp_path, small)
    chosen = compare.stored(tmp_path, 3)
    assert [p.name.split("-")[2] for p in chosen] == ["c2", "c3", "c4"]


def test_unreadable_files_are_skipped_and_nothing_to_compare_is_a_usage_error(compare, tmp_path, capsys):
    broken = tmp_path / "results-medium-x-2026-11-27T010000Z.json"
    broken.write_text('{"size": "medium"}')  # no measurements
    assert compare.main([str(broken)]) == 2
    assert "not a complete results file" in capsys.readouterr().err
