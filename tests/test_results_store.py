"""The spilled result store, the tally it keeps and the streamed report writers.

The store must give back exactly what was put in, in index order whatever the order of
arrival, from disk once it spills; its tally must equal one counted from the results;
and every format written from a store must equal the same report rendered from a tuple.
"""

from __future__ import annotations

import io
import json
import random
import re
from pathlib import Path

import pytest

from speechgate import results
from speechgate.engine import ArtifactScan
from speechgate.model import Artifact, ArtifactResult, Category, Report, Severity
from speechgate.packed import pack, report_order
from speechgate.report import FORMATTERS, WRITERS, json_stream
from speechgate.results import Header, ResultStore
from speechgate.scoring import verdict
from speechgate.tally import Facts, Tally
from tests.golden.reports import CARD_SUPPRESSED, EMAIL, PATH_LOW, PHONE, RULES, SPEAKER, TAG, VERSION
from tests.test_runner import make_tree

FINDINGS = [EMAIL, PHONE, SPEAKER, TAG, CARD_SUPPRESSED, PATH_LOW]


def _results(n: int, seed: int, show_values: bool = False) -> list[ArtifactResult]:
    """n judged results with random subsets of the golden findings (values dropped unless shown)."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        chosen = rng.sample(FINDINGS, rng.randint(0, len(FINDINGS)))
        if not show_values:
            chosen = [f._replace(value=None) for f in chosen]
        chosen.sort(key=report_order)
        active = tuple(f for f in chosen if f.suppressed_by is None)
        suppressed = tuple(f for f in chosen if f.suppressed_by is not None)
        risk, result, reasons = verdict(active, 0.25, frozenset({"financial"}))
        out.append(ArtifactResult(
            path=f"data/{i:05d} file.srt", kind="srt", sha256=f"{i:064x}", risk=risk, threshold=0.25,
            verdict=result, findings=active, suppressed=suppressed, reasons=reasons,
            notes=("decoded as latin-1",) if i % 7 == 0 else (), file=f"./data/{i:05d} file.srt"))
    return out


def _store(expected: list[ArtifactResult], order: list[int], spill: bool = True) -> ResultStore:
    store = ResultStore(len(expected), spill=spill)
    for index in order:
        r = expected[index]
        scan = ArtifactScan(Artifact(None, r.path, r.kind), r.sha256, (*r.findings, *r.suppressed),  # type: ignore[arg-type]
                            r.notes)
        packed = pack(scan)
        store.add(index, Header(r.path, r.kind, r.sha256, r.risk, r.threshold, r.verdict, r.reasons, r.file),
                  packed.payload, packed.facts)
    return store


@pytest.mark.parametrize("show_values", [False, True])
def test_store_gives_back_every_result_in_index_order_from_disk(monkeypatch: pytest.MonkeyPatch,
                                                                 show_values: bool) -> None:
    monkeypatch.setattr(results, "SPILL_BYTES", 2000)  # spill after a few records
    expected = _results(300, seed=1, show_values=show_values)
    order = list(range(300))
    random.Random(2).shuffle(order)  # a pool returns results in any order
    store = _store(expected, order, spill=not show_values)
    assert list(store) == expected
    assert store[17] == expected[17] and store[-1] == expected[-1]
    assert store[3:6] == expected[3:6]
    assert (store._file is not None) is (not show_values), "spilled to disk unless values are shown"
    if not show_values:
        assert len(store._buffer) < 2000 + 4000, "only the last records wait in memory"
    store.close()


def test_tally_of_a_store_equals_the_tally_counted_from_its_results() -> None:
    expected = _results(200, seed=3)
    order = list(range(200))
    random.Random(4).shuffle(order)
    store = _store(expected, order)
    assert store.tally == Tally.of(tuple(expected))
    assert store.tally.summary()["artifacts"] == 200


def test_facts_are_drawn_from_the_encoded_rows_in_report_order() -> None:
    chosen = sorted([f._replace(value=None) for f in FINDINGS], key=report_order)
    facts = Facts.of(chosen)
    active = [f for f in chosen if f.suppressed_by is None]
    assert facts.risk == verdict(active, 0.25, frozenset())[0]
    assert (facts.active, facts.suppressed) == (len(active), 1)
    assert facts.first_rule == active[0].rule
    assert facts.suppressed_by == ("allow/0",)


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_every_format_written_from_a_store_equals_the_rendered_tuple(fmt: str) -> None:
    expected = _results(120, seed=5)
    store = _store(expected, list(reversed(range(120))))
    from_store = Report(VERSION, "public", store, rules=RULES)
    from_tuple = Report(VERSION, "public", tuple(expected), rules=RULES)
    out = io.StringIO()
    WRITERS[fmt](from_store, out)
    assert out.getvalue() == FORMATTERS[fmt](from_tuple)


@pytest.mark.parametrize("items", [[], [1], [{"a": [1, {"b": "x\ny"}]}, "é", []], [[], {}]])
def test_json_stream_writes_what_json_dumps_writes(items: list[object]) -> None:
    doc = {"x": 1, "runs": [{"tool": {"k": [1, 2]}, "results": [json_stream.PLACEHOLDER], "p": {"q": True}}]}
    out = io.StringIO()
    json_stream.write(doc, iter(items), out)
    whole = json.loads(json.dumps(doc))
    whole["runs"][0]["results"] = items
    assert out.getvalue() == json.dumps(whole, indent=2, ensure_ascii=False) + "\n"


def _gate_run(tree_root: Path, show_values: bool) -> Report:
    from speechgate.config import load_config
    from speechgate.gate import RunOptions, run
    from speechgate.runner import RunnerOptions

    options = RunOptions(tier="public", show_values=show_values, runner=RunnerOptions(jobs=1, cache_dir=None))
    return run([str(tree_root)], load_config(None, tree_root), options)


def _raw_emails(root: Path) -> set[str]:
    return {m for p in root.rglob("*") if p.is_file() for m in re.findall(r"[\w.+-]+@[\w-]+\.[\w.]+", p.read_text())}


def test_a_spilled_run_writes_no_raw_value_to_its_temporary_file(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(results, "SPILL_BYTES", 512)
    root = make_tree(tmp_path / "tree")
    emails = _raw_emails(root)
    assert emails, "the tree has contact details to find"
    report = _gate_run(root, show_values=False)
    store = report.artifacts
    assert isinstance(store, ResultStore) and store._file is not None, "the run spilled"
    store._file.seek(0)
    spilled = store._file.read() + bytes(store._buffer)
    assert report.tally.findings > 0
    assert not [e for e in emails if e.encode() in spilled]


def test_a_run_that_shows_values_keeps_its_results_in_memory(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(results, "SPILL_BYTES", 512)
    report = _gate_run(make_tree(tmp_path / "tree"), show_values=True)
    store = report.artifacts
    assert isinstance(store, ResultStore) and store._file is None
    assert any(f.value for a in store for f in a.findings), "values are shown"


def test_a_temporary_folder_that_refuses_writes_keeps_the_results_in_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(results, "SPILL_BYTES", 2000)
    monkeypatch.setattr(tempfile, "TemporaryFile", refuse)
    expected = _results(100, seed=6)
    store = _store(expected, list(range(100)))
    assert store._file is None
    assert list(store) == expected


def test_a_spilled_store_keeps_its_record_positions_on_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(results, "SPILL_BYTES", 2000)
    expected = _results(400, seed=7)
    order = list(range(400))
    random.Random(8).shuffle(order)
    store = _store(expected, order)
    slots = store._slots
    assert slots._starts is None and slots._file is not None, "positions moved to the index file"
    assert len(slots._recent) < 50, "only the slots since the last spill wait in memory"
    assert len(slots._added) <= 2 * 400 // 8 + 1, "one bit per artifact"
    assert list(store) == expected
    with pytest.raises(ValueError, match="added twice"):
        store.add(3, Header(*(["x"] * 3), 0.0, 0.0, "pass", (), "x"), "[[],[]]", Facts.of(()))
    with pytest.raises(LookupError):
        _store(expected[:3], [0, 2])[1]
    store.close()


def test_positions_of_results_added_in_order_are_written_as_one_block(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cache hits come in index order: their positions go to the index file in one packed
    block; results with gaps between them still go run by run. Both read back alike."""
    monkeypatch.setattr(results, "SPILL_BYTES", 2000)
    expected = _results(400, seed=9)
    real_runs = results._runs
    in_order_runs: list[int] = []
    monkeypatch.setattr(results, "_runs", lambda items: in_order_runs.append(1) or real_runs(items))
    store = _store(expected, list(range(400)))
    assert store._slots._file is not None and not in_order_runs, "one block per spill"
    assert list(store) == expected
    store.close()
    gapped = list(range(0, 400, 2)) + list(range(1, 400, 2))  # every other index, then the rest
    store = _store(expected, gapped)
    assert in_order_runs, "gaps between the indexes: written run by run"
    assert list(store) == expected and store[399] == expected[399]
    store.close()


def test_an_index_file_that_cannot_be_written_brings_the_positions_back_into_memory(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    monkeypatch.setattr(results, "SPILL_BYTES", 2000)
    real_pwrite, calls = os.pwrite, [0]

    def failing(fd: int, data: bytes, offset: int) -> int:
        calls[0] += 1
        if calls[0] > 40:  # the disk fills up part-way through the run
            raise OSError(28, "No space left on device")
        return real_pwrite(fd, data, offset)

    monkeypatch.setattr(results.os, "pwrite", failing)
    expected = _results(300, seed=9)
    order = list(range(300))
    random.Random(10).shuffle(order)
    store = _store(expected, order)
    assert calls[0] > 40 and store._slots._starts is not None, "back in memory after the failure"
    assert list(store) == expected
    store.close()


def test_a_tally_counts_shared_and_distinct_facts_objects_alike() -> None:
    """Cached scans share one Facts object per distinct text, scanned ones do not; the tally
    remembers totals per object (up to a bound) and must count both the same way."""
    rng = random.Random(7)
    unreadable = PATH_LOW._replace(rule="unscannable", category=Category.UNSCANNABLE, severity=Severity.HIGH)
    pool = []
    for _ in range(60):
        kinds = [*FINDINGS, unreadable]
        chosen = sorted((f._replace(value=None) for f in rng.sample(kinds, rng.randint(0, len(kinds)))),
                        key=report_order)
        pool.append(Facts.of(chosen))
    shared = [rng.choice(pool) for _ in range(3000)]  # the same objects again and again
    copies = [Facts(*facts) for facts in shared]  # 3,000 distinct objects: past the bound
    verdicts = [rng.choice(("pass", "fail")) for _ in shared]
    one, other = Tally(), Tally()
    for verdict_of, facts, copy in zip(verdicts, shared, copies, strict=True):
        one.add(verdict_of, facts)
        other.add(verdict_of, copy)
    assert one == other
    assert list(one.rules.items()) == list(other.rules.items()), "rules in order of first finding"
    assert one.categories == other.categories and one.suppressed_by == other.suppressed_by
    assert one.summary() == other.summary() and one.summary()["artifacts"] == 3000
    unscannable = sum(any(c == "unscannable" for c, _ in facts.categories) for facts in shared)
    assert 0 < unscannable < 3000 and one.summary()["unscannable"] == unscannable
