"""Command line: `main(argv) -> int`; nothing else in the package knows about argv.

Exit codes: 0 passed, 1 the gate failed, 2 usage / configuration / rule error.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from speechgate import __version__, memo
from speechgate.config import TIERS, load_config
from speechgate.errors import EXIT_GATE_FAILED, EXIT_PASSED, EXIT_USAGE, UsageError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="speechgate",
        description="Release gate for speech and audio research artifacts.",
    )
    parser.add_argument("--version", action="version", version=f"speechgate {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = sub.add_parser("check", help="scan artifacts and fail when they are too risky to release")
    check.add_argument("paths", nargs="*", default=["."], help="files or folders (default: .)")
    check.add_argument("--tier", choices=TIERS, help="release tier (default from config: public)")
    check.add_argument("--format", choices=_format_names(), help="report format (default: text)")
    check.add_argument("--output", "-o", type=Path, help="write the report to FILE instead of stdout")
    check.add_argument("--config", type=Path, help="config file (default: discovered)")
    check.add_argument("--show-values", action="store_true",
                       help="include raw matched values in the report (off by default)")
    check.add_argument("--quiet", "-q", action="store_true", help="print nothing on success")
    check.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    check.add_argument("--jobs", "-j", type=_positive_int, metavar="N",
                       help="worker processes (default: number of cores)")
    check.add_argument("--no-cache", action="store_true", help="do not read or write the scan cache")
    check.add_argument("--ner", action="store_true",
                       help="also run the optional NER rules (needs speechgate[ner]; model from config `ner:`)")
    check.add_argument("--cache-dir", type=Path, metavar="DIR",
                       help="folder of the scan cache and start-up memo "
                            "(default: $SPEECHGATE_CACHE_DIR, else the user cache dir)")
    check.add_argument("--baseline", type=Path, metavar="FILE",
                       help="accept the findings recorded in FILE; fail only on new ones")
    check.add_argument("--report-unused", action="store_true",
                       help="list allow entries in the config that suppressed nothing")
    check.add_argument("--also", action="append", default=[], metavar="FORMAT=FILE", type=_also,
                       help="also write the report in FORMAT to FILE (repeatable), e.g. sarif=out.sarif")
    changed = check.add_mutually_exclusive_group()
    changed.add_argument("--staged", action="store_true",
                         help="check only files staged in git, as staged (not the working tree)")
    changed.add_argument("--since", metavar="REV",
                         help="check only files changed since REV (its merge base with HEAD)")

    baseline = sub.add_parser("baseline", help="record current findings as accepted (create or update FILE)")
    baseline.add_argument("action", choices=("create", "update"),
                          help="create: record all current findings; update: refresh the scanned paths' entries")
    baseline.add_argument("file", type=Path, metavar="FILE", help="baseline file, e.g. .speechgate-baseline.json")
    baseline.add_argument("paths", nargs="*", default=["."], help="files or folders (default: .)")
    baseline.add_argument("--config", type=Path, help="config file (default: discovered)")

    rules = sub.add_parser("rules", help="list or test the rules")
    rules_sub = rules.add_subparsers(dest="rules_command", required=True, metavar="ACTION")
    for name, text in (("list", "list the active rules"), ("test", "run every rule's examples")):
        p = rules_sub.add_parser(name, help=text)
        p.add_argument("--config", type=Path)

    explain = sub.add_parser("explain", help="explain a rule: why it matters and how to fix it")
    explain.add_argument("rule")
    explain.add_argument("--config", type=Path)
    return parser


def _also(text: str) -> tuple[str, Path]:
    fmt, sep, file = text.partition("=")
    if not sep or not file:
        raise argparse.ArgumentTypeError(f"expected FORMAT=FILE, got {text!r}")
    if fmt not in _format_names():
        raise argparse.ArgumentTypeError(f"unknown format {fmt!r} (choose from {', '.join(_format_names())})")
    return fmt, Path(file)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _format_names() -> list[str]:
    from speechgate.report import FORMATTERS

    return sorted(FORMATTERS)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help/--version exit 0, usage errors exit 2
        return int(exc.code or 0)
    try:
        if args.command == "check":
            return _check(args)
        if args.command == "rules":
            return _rules(args)
        if args.command == "explain":
            return _explain(args)
        if args.command == "baseline":
            return _baseline(args)
    except UsageError as exc:
        print(f"speechgate: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    parser.error(f"unknown command {args.command}")
    return EXIT_USAGE


def main_entry() -> None:
    _collect_less_often()
    try:
        code = main(sys.argv[1:])
        sys.stdout.flush()
    except BrokenPipeError:
        # the reader went away (`speechgate check . | head`): no traceback, and no pass for a
        # report nobody read whole; stdout goes to devnull so the exit flush cannot fail again
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = EXIT_GATE_FAILED
    sys.exit(code)


def _collect_less_often() -> None:
    """Tune the cyclic garbage collector for one short command (the console script only).

    A run makes millions of short-lived containers (decoded fields, findings, rows), nearly
    all freed by reference counting; with the default threshold (700) the collector ran
    thousands of times and re-traversed the young ones. What is loaded before the run
    (modules, parsed arguments) is frozen out of its reach. 10,000 rather than more: at
    50,000 the garbage cycles waiting for a collection cost a scan 8-9 MB of peak RSS.
    """
    import gc

    gc.freeze()
    young, middle, old = gc.get_threshold()
    gc.set_threshold(max(young, 10_000), middle, old)


def _check(args: argparse.Namespace) -> int:
    from speechgate.gate import RunOptions
    from speechgate.report import FORMATTERS

    # before anything loads: a run's own cache folder also holds the memo of parsed rules and
    # configs; --no-cache writes nothing there (the memo, derived from speechgate's own files, stays put)
    memo.use_folder(None if args.no_cache else args.cache_dir)
    config = load_config(args.config, Path.cwd())
    if args.ner:  # the config's `ner:` names the model; the flag alone uses the default one
        config = dataclasses.replace(config, data={**config.data, "ner": config.data.get("ner") or True})
    tier = args.tier or config.data["default_tier"]
    fmt = args.format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" and "github" in FORMATTERS else "text")
    colour = args.color == "always" or (
        args.color == "auto" and args.output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ)
    # the plain terminal report prints each scan's packed lines (report/text_body.py)
    plain_text = (fmt == "text" and not colour) or any(also == "text" for also, _ in args.also)
    runner = dataclasses.replace(_runner_options(args), report_lines=plain_text)
    with _rendered_ahead(fmt, colour, args.show_values, runner.jobs) as ahead:
        options = RunOptions(tier=tier, show_values=args.show_values, runner=runner,
                             baseline=_load_baseline(args.baseline), watch=ahead and ahead.watch)
        report = _run_selected(args, config, options)
        try:
            if args.output is not None:
                _write_report(report, fmt, args.output, colour, runner.jobs or 1, ahead)
            elif not (args.quiet and report.passed):
                _write(report, fmt, sys.stdout, colour, runner.jobs or 1, ahead)
            for also_fmt, also_file in args.also:
                _write_report(report, also_fmt, also_file, False)
        finally:
            close = getattr(report.artifacts, "close", None)
            if close is not None:
                close()  # the run's spilled results
    return EXIT_PASSED if report.passed else EXIT_GATE_FAILED


def _write_report(report, fmt: str, path: Path, colour: bool, jobs: int = 1, ahead=None) -> None:  # type: ignore[no-untyped-def]
    with path.open("w", encoding="utf-8") as out:
        _write(report, fmt, out, colour, jobs, ahead)


def _write(report, fmt: str, out, colour: bool, jobs: int = 1, ahead=None) -> None:  # type: ignore[no-untyped-def]
    from speechgate.report import WRITERS
    from speechgate.report.text import write as write_text

    if fmt == "text":
        write_text(report, out, colour=colour, jobs=jobs, ahead=ahead)
    else:
        WRITERS[fmt](report, out)


def _rendered_ahead(fmt: str, colour: bool, show_values: bool, jobs: int):  # type: ignore[no-untyped-def]
    """A coloured text report's renderer of ranges while the run goes on (report.ahead), or a
    null context when there is no idle core to use or the report shows raw values. A plain
    text report is not rendered ahead: it prints each scan's packed lines (report.text_body),
    which costs less than the forks would."""
    if fmt != "text" or not colour or jobs < 2 or show_values or sys.platform != "linux":
        return contextlib.nullcontext(None)
    from speechgate.report.ahead import RenderAhead
    from speechgate.report.text import ranges

    return RenderAhead(lambda artifacts: ranges(artifacts, colour, show_values=False))


def _load_baseline(path: Path | None):  # type: ignore[no-untyped-def]
    from speechgate import baseline

    return None if path is None else baseline.load(path)


def _run_selected(args: argparse.Namespace, config, options):  # type: ignore[no-untyped-def]
    """Run over the given paths, or only the git-changed files under them (--staged/--since)."""
    from dataclasses import replace

    from speechgate import changed
    from speechgate.gate import run_artifacts, stream_artifacts

    cwd = Path.cwd()
    diff = None
    if args.staged or args.since:
        diff = changed.staged(cwd) if args.staged else changed.since(args.since, cwd)
        artifacts = stream_artifacts(changed.within(diff, args.paths, cwd), config, options)
    else:
        artifacts = stream_artifacts(args.paths, config, options)  # scanned while the folders are walked
    artifacts = _without(artifacts, args.baseline, config.source)
    if args.staged and diff is not None:
        with changed.index_snapshot(diff, list(artifacts)) as staged_artifacts:
            report = run_artifacts(staged_artifacts, config, replace(options, file_is_path=True))
    else:
        report = run_artifacts(artifacts, config, options)
    return report if args.report_unused else replace(report, unused_allow=())


def _without(artifacts, *own_files: Path | None):  # type: ignore[no-untyped-def]
    """The artifacts minus speechgate's own files (baseline, config): not release artifacts."""
    from speechgate.baseline import DEFAULT_NAME
    from speechgate.discover import iter_without_files

    own = [f for f in own_files if f is not None]
    return iter_without_files((a for a in artifacts if a.path.name != DEFAULT_NAME), own)


def _baseline(args: argparse.Namespace) -> int:
    """`baseline create|update FILE [paths]`: write the accepted findings, canonically."""
    from speechgate import baseline
    from speechgate.gate import RunOptions, find_artifacts, scan

    config = load_config(args.config, Path.cwd())
    artifacts = list(_without(find_artifacts(args.paths, config), args.file, config.source))
    _, scans = scan(artifacts, config, RunOptions(tier=config.data["default_tier"]))
    current = baseline.from_scans(scans)
    if args.action == "update" and args.file.exists():
        current = baseline.updated(baseline.load(args.file), current, (a.display for a in artifacts),
                                   lambda p: Path(p).exists())
    changed = baseline.write(args.file, current)
    unscannable = sorted({s.artifact.display for s in scans for f in s.findings if f.rule == "unscannable"})
    print(f"{args.file}: {len(current.entries)} accepted findings "
          f"({'written' if changed else 'unchanged'}; fingerprint key {current.key_id})")
    for path in unscannable:
        print(f"not baselined: {path} could not be scanned; fix it or list it in .speechgateignore")
    return EXIT_PASSED


def _runner_options(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from speechgate import progress
    from speechgate.cache import default_dir
    from speechgate.runner import RunnerOptions, default_jobs

    cache_dir = None if args.no_cache else (args.cache_dir or default_dir())
    return RunnerOptions(jobs=args.jobs or default_jobs(), cache_dir=cache_dir,
                         progress=progress.wanted(sys.stderr, args.quiet))


def _load_rules(config_path: Path | None):  # type: ignore[no-untyped-def]
    from speechgate.gate import loaded_rules, settings_for

    config = load_config(config_path, Path.cwd())
    return loaded_rules(settings_for(config))


def _rules(args: argparse.Namespace) -> int:
    from speechgate.rules import check_examples

    rules = _load_rules(args.config)
    if args.rules_command == "list":
        for r in rules:
            print(f"{r.id:<32} {r.category.value:<18} {r.severity.value:<8} {r.title}")
        return EXIT_PASSED
    failures = [f for r in rules for f in check_examples(r)]
    for f in failures:
        print(f"FAIL {f.rule}: {f.expected} example {f.index}: {f.detail}")
    total = sum(len(r.data["examples"].get(k, ())) for r in rules for k in ("match", "no_match"))
    print(f"{len(rules)} rules, {total} examples, {len(failures)} failures")
    return EXIT_GATE_FAILED if failures else EXIT_PASSED


def _explain(args: argparse.Namespace) -> int:
    rules = {r.id: r for r in _load_rules(args.config)}
    rule = rules.get(args.rule)
    if rule is None and args.rule == "unscannable":
        return _explain_unscannable()
    if rule is None:
        raise UsageError(f"unknown rule {args.rule!r}; see `speechgate rules list`")
    d = rule.data
    print(f"{rule.id}: {rule.title}")
    print(f"category: {rule.category.value}   severity: {rule.severity.value}   "
          f"confidence: {rule.confidence}")
    if rule.kinds or rule.roles:
        kinds = ", ".join(sorted(str(k) for k in rule.kinds or ["any"]))
        roles = ", ".join(sorted(str(r) for r in rule.roles or ["any"]))
        print(f"applies to: kinds {kinds}; roles {roles}")
    print()
    print("Why it matters:")
    print(f"  {d.get('description', rule.title)}")
    if d.get("remediation"):
        print("How to fix:")
        print(f"  {d['remediation']}")
    print("Examples that are reported:")
    for ex in d["examples"]["match"][:3]:
        print(f"  + {_example_text(ex)}")
    print("Examples that are not:")
    for ex in d["examples"]["no_match"][:3]:
        print(f"  - {_example_text(ex)}")
    print("If a finding is reviewed and acceptable:")
    print("  record it in a baseline: `speechgate baseline create .speechgate-baseline.json`, then "
          "`speechgate check --baseline .speechgate-baseline.json`;")
    print(f"  or add an allow entry: `allow: [{{rule: {rule.id}, path: 'data/**', reason: ...}}]` in .speechgate.yaml;")
    print("  or list files that are not released in .speechgateignore.")
    print(f"Turn the rule off entirely with `rules: {{disable: [{rule.id}]}}` in .speechgate.yaml.")
    return EXIT_PASSED


def _explain_unscannable() -> int:
    from speechgate.gate import UNSCANNABLE_METADATA as meta

    print(f"unscannable: {meta['title']}")
    print(f"category: unscannable   severity: {meta['severity']}   always fails every tier by default")
    print()
    print("Why it matters:")
    print(f"  {meta['description']}")
    print("How to fix:")
    print(f"  {meta['remediation']} Files that are not part of the release can be listed in .speechgateignore.")
    print("  Unscannable findings are never recorded in a baseline: nobody could review what was not read.")
    return EXIT_PASSED


def _example_text(ex: object) -> str:
    if isinstance(ex, dict):
        name = f"{ex['name']} = " if "name" in ex else ""
        return f"{name}{ex['text']}"
    return str(ex)
