"""Compare stored benchmark runs: `python bench/compare.py [RESULTS.json ...] [--last N]`.

In: results files that run.py wrote (default: the last N runs of the newest run's size under
bench/out/). Out: a table with one row per target of issue 6: the goal, each run's value
(oldest first), how many runs met it and the worst run's margin to the goal. Exit status 1
when the newest run misses a target that an earlier run in the table met (a regression),
2 when no results could be read, else 0.

Targets are recomputed from each file's raw measurements with run.py's `targets`, so runs
stored before a target's value was kept in the file compare like the newest ones.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import run  # noqa: E402


class Run:
    """One stored benchmark run: its name (commit and time) and its targets by key."""

    def __init__(self, path: Path, res: dict[str, object]) -> None:
        self.path = path
        self.name = f"{res.get('commit', '?')} {str(res.get('date', '?'))[5:16]}"
        self.size = str(res.get("size", "?"))
        self.date = str(res.get("date", ""))
        self.targets = {t.key: t for t in run.targets(_precise(res))}


def _precise(res: dict[str, object]) -> dict[str, object]:
    """`res` with each same-text probe's throughput taken again from its bytes and median work
    time: files written before 5820a3d stored it with three decimals (see run._probe_runs)."""
    same = {name: dict(probe) for name, probe in dict(res.get("same_text") or {}).items()}
    for probe in same.values():
        if probe.get("bytes") and probe.get("work_s"):
            probe["mb_s"] = probe["bytes"] / probe["work_s"] / 1e6
    return {**res, "same_text": same}


def load(paths: Sequence[Path]) -> tuple[list[Run], list[str]]:
    """The runs of `paths` that can be read, oldest first, and a note for each that cannot."""
    runs, skipped = [], []
    for path in paths:
        try:
            runs.append(Run(path, json.loads(path.read_text(encoding="utf-8"))))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            skipped.append(f"{path.name}: not a complete results file ({type(exc).__name__})")
    runs.sort(key=lambda r: r.date)
    return runs, skipped


def stored(out: Path, last: int) -> list[Path]:
    """The last `last` results files of the newest run's size in `out` (by the time in their names)."""
    # results-SIZE-COMMIT-DATE.json: ordered by DATE (an ISO time, which sorts as text)
    files = sorted(out.glob("results-*-*-*.json"), key=lambda p: p.stem.split("-", 3)[3])
    if not files:
        return []
    size = files[-1].stem.split("-")[1]
    return [p for p in files if p.stem.split("-")[1] == size][-last:]


def table(runs: Sequence[Run]) -> tuple[list[str], list[str]]:
    """The lines of the comparison and the keys of the targets the newest run regressed on."""
    keys = list(dict.fromkeys(k for r in runs for k in r.targets))
    lines = ["runs (oldest first): " + ", ".join(f"{i} = {r.name}" for i, r in enumerate(runs, 1)), ""]
    width = 9
    lines.append(f"{'target':<16} {'goal':>8} " + " ".join(f"{i:>{width}}" for i in range(1, len(runs) + 1))
                 + f" {'met':>7} {'worst margin':>13}")
    regressed = []
    for key in keys:
        seen = [r.targets.get(key) for r in runs]
        known = [t for t in seen if t is not None and t.met is not None]
        goal = next((t for t in known if t.goal is not None), None)
        goal_text = "" if goal is None else f"{'>=' if goal.higher else '<='} {goal.goal:g}"
        values = " ".join(f"{_value(t):>{width}}" for t in seen)
        margins = [m for m in (t.margin() for t in known) if m is not None]
        worst = f"{min(margins):+.1%}" if margins else "-"
        met = f"{sum(1 for t in known if t.met)}/{len(known)}"
        newest = seen[-1]
        flag = ""
        if newest is not None and newest.met is False and any(t.met for t in known[:-1]):
            regressed.append(key)
            flag = "  REGRESSED"
        lines.append(f"{key:<16} {goal_text:>8} {values} {met:>7} {worst:>13}{flag}")
    return lines, regressed


def _value(t: run.Target | None) -> str:
    if t is None or t.value is None:
        return "-"
    mark = "" if t.met else "!"  # a run that missed the target
    return f"{mark}{t.value:.4g}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help="results files (default: the latest under bench/out)")
    parser.add_argument("--last", type=int, default=6, help="how many stored runs by default (default 6)")
    args = parser.parse_args(argv)
    runs, skipped = load(args.files or stored(run.OUT, args.last))
    for note in skipped:
        print(f"skipped {note}", file=sys.stderr)
    if not runs:
        print("no benchmark results to compare (run `python bench/run.py --size medium` first)", file=sys.stderr)
        return 2
    lines, regressed = table(runs)
    print("\n".join(lines))
    print("\n! marks a run that missed the target; margin: how far past the goal (negative: short of it)")
    if regressed:
        print(f"regressed in the newest run: {', '.join(regressed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
