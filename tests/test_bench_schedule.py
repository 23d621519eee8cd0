"""The benchmark's same-text schedule: quick probes spread between the slow ones' runs."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from .conftest import load_bench


@pytest.fixture(scope="module")
def bench_run():
    return load_bench("run")


def _order(bench_run, monkeypatch, quick, slow, repeat, quick_repeat):
    seen: list[list[str]] = []
    monkeypatch.setattr(bench_run, "_probe_runs", lambda order, folder, warmup: seen.append(list(order)) or {})
    bench_run.probes_interleaved(quick, slow, Path("f"), Path("w"), repeat, quick_repeat)
    return seen[0]


def test_quick_probes_run_before_each_slow_run_and_after_the_last(bench_run, monkeypatch):
    order = _order(bench_run, monkeypatch, ["sg", "floor"], ["spacy", "ner"], 3, 7)
    assert order.count("spacy") == order.count("ner") == 3
    assert order.count("sg") == order.count("floor") == 7  # 3 x 2 slow runs + 1 slots, one each
    slow_at = [i for i, name in enumerate(order) if name in ("spacy", "ner")]
    # between two slow runs, and before the first and after the last, both quick probes ran
    bounds = [-1, *slow_at, len(order)]
    for a, b in itertools.pairwise(bounds):
        assert sorted(order[a + 1:b]) == ["floor", "sg"]


def test_quick_probes_reach_their_count_with_few_slow_runs(bench_run, monkeypatch):
    order = _order(bench_run, monkeypatch, ["sg", "floor"], ["spacy"], 1, 7)
    assert order.count("sg") == order.count("floor") >= 7
    assert order.count("spacy") == 1
    only_quick = _order(bench_run, monkeypatch, ["sg"], [], 3, 7)
    assert only_quick == ["sg"] * 7


def test_cpu_model_is_read_from_cpuinfo(bench_run, tmp_path):
    info = tmp_path / "cpuinfo"
    info.write_text("processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R)  Processor @ 2.50GHz\n"
                    "processor\t: 1\nmodel name\t: Intel(R) Xeon(R)  Processor @ 2.50GHz\n")
    assert bench_run.cpu_model(info) == "Intel(R) Xeon(R) Processor @ 2.50GHz"
    info.write_text("processor\t: 0\nBogoMIPS\t: 50.00\n")  # an ARM board names no model
    assert bench_run.cpu_model(info) == ""
    assert bench_run.cpu_model(tmp_path / "missing") == ""


def test_ratios_keep_the_precision_of_a_slow_competitor(bench_run, monkeypatch, tmp_path):
    """Presidio+spaCy runs at about 0.014 MB/s: a throughput rounded to three decimals turned
    a 202.5x ratio (28.758 s against 0.142 s on the same bytes) into 197.9x."""
    folder, warmup = tmp_path / "f", tmp_path / "w"
    runs = {"speechgate": [0.141, 0.142, 0.143], "presidio-spacy": [28.5, 28.758, 29.1]}
    outputs = iter(
        f'{{"probe": "{name}", "setup_s": 1.0, "work_s": {work}, "bytes": 394100, "files": 140, '
        f'"units": 140, "detections": 516}}'
        for name in ("speechgate", "presidio-spacy") for work in runs[name])

    class Done:
        returncode = 0

        def __init__(self) -> None:
            self.stdout = next(outputs)

    monkeypatch.setattr(bench_run.subprocess, "run", lambda *a, **k: Done())
    same = bench_run._probe_runs(["speechgate"] * 3 + ["presidio-spacy"] * 3, folder, warmup)
    assert same["speechgate"]["work_s"] == 0.142 and same["presidio-spacy"]["work_s"] == 28.758
    rows = bench_run.same_text_targets(same)
    spacy = next(row for row in rows if row.key == "spacy_200x")
    assert spacy.measured.startswith("202.5x") and spacy.met is True
    assert spacy.value == pytest.approx(28.758 / 0.142) and spacy.goal == 200
