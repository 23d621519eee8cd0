"""Compare `speechgate check` verdicts with the labelled sample corpus.

Usage: python bench/corpus_eval.py [CORPUS_DIR] [--json OUT]
CORPUS_DIR defaults to $SPEECHGATE_CORPUS or ../shared/corpus. Prints a confusion table,
per-file disagreements (paths and categories only, never values) and category recall.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?", default=os.environ.get("SPEECHGATE_CORPUS", "../shared/corpus"))
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    corpus = Path(args.corpus)
    labels = {e["local"]: e for e in json.loads((corpus / "labels.json").read_text())}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "r.json"
        subprocess.run([sys.executable, "-m", "speechgate", "check", str(corpus), "--tier", "public",
                        "--format", "json", "--output", str(out)], check=False)
        report = json.loads(out.read_text())
    got = {a["path"]: a for a in report["artifacts"]}
    confusion: Counter[tuple[str, str]] = Counter()
    cat_hits: Counter[str] = Counter()
    cat_total: Counter[str] = Counter()
    rows = []
    for path, label in sorted(labels.items()):
        art = got.get(path)
        verdict = art["verdict"] if art else "missing"
        confusion[(label["expected_verdict_public"], verdict)] += 1
        found = {f["category"] for f in art["findings"]} if art else set()
        for cat in label["categories"]:
            cat_total[cat] += 1
            cat_hits[cat] += cat in found
        if verdict != label["expected_verdict_public"]:
            rows.append((path, label["expected_verdict_public"], verdict, sorted(label["categories"]), sorted(found)))
    for row in rows:
        print(f"{row[1]:>4} -> {row[2]:<4} {row[0]}\n     expected {row[3]} found {row[4]}")
    tp, fn = confusion[("fail", "fail")], confusion[("fail", "pass")]
    fp, tn = confusion[("pass", "fail")], confusion[("pass", "pass")]
    print(f"\nverdicts: TP={tp} FN={fn} FP={fp} TN={tn}  "
          f"recall={tp / max(1, tp + fn):.2f} precision={tp / max(1, tp + fp):.2f} "
          f"accuracy={(tp + tn) / max(1, len(labels)):.2f}")
    for cat in sorted(cat_total):
        print(f"  {cat:<18} {cat_hits[cat]}/{cat_total[cat]}")
    if args.json:
        args.json.write_text(json.dumps({"tp": tp, "fn": fn, "fp": fp, "tn": tn,
                                         "categories": {c: [cat_hits[c], cat_total[c]] for c in cat_total}}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
