"""A scan packed for its way to the report: findings encoded once, plus the facts to judge them.

In: an ArtifactScan. Out: a PackedScan (sha256, JSON payload of the findings and notes,
Facts), and back again with `unpack`.

Workers pack what they scan, the cache stores packed scans as they are, and the result
store keeps them on disk until a report is written; so the parent process judges and totals
an artifact from its Facts, and builds Finding objects only while a formatter writes them.
Findings are packed in report order (by line, pointer, tag, column, rule, fingerprint).

The payload is JSON (not pickle) because the cache reads it back from disk, and decoding
checks every field's type. Facts are always drawn from the encoded rows when a scan is
packed, so they never disagree with them; the cache stores them beside the payload
(`facts_text`), under one keyed checksum that only this code, holding the fingerprint key,
writes (cache.py), so a cache hit is checked without being decoded: the checksum, and
`facts_from_text` for the stored facts. Hits are decoded only when reported.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from speechgate.model import Category, Finding, Severity
from speechgate.scoring import risk_of
from speechgate.tally import UNSCANNABLE, Facts

if TYPE_CHECKING:
    from speechgate.model import Artifact
    from speechgate.scan_io import ArtifactScan

_FINDING_FIELDS = len(Finding._fields)  # one JSON array per finding, in Finding's field order


def _compact_encoder() -> Callable[[Any], str]:
    """json.dumps(obj, separators=(",", ":")) for the payloads, built once.

    JSONEncoder.encode builds the C encoder again on every call, with a dict for its
    circular-reference check (a payload is lists, dicts and scalars made here: no cycle);
    this is the same C encoder, with the same settings (ASCII escapes, NaN allowed), built
    once. Without the C accelerator, JSONEncoder.encode itself."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return json.JSONEncoder(separators=(",", ":")).encode
    chunks = make(None, json.JSONEncoder().default, json.encoder.encode_basestring_ascii, None, ":", ",",
                  False, False, True)
    return lambda obj: "".join(chunks(obj, 0))


_compact_json = _compact_encoder()


class PackedScan(NamedTuple):
    sha256: str
    payload: str  # JSON: [findings, notes]
    facts: Facts
    has_values: bool  # raw values inside (a --show-values run): never cached
    # the lines under the artifact's heading in the terminal report, without colour or values
    # (report.text_body.plain); None where they were not rendered (the report decodes the payload)
    text: str | None = None


def pack(scan: ArtifactScan, lines: bool = True) -> PackedScan:
    """Sort the findings into report order, encode them, draw their facts and, with `lines`,
    render their plain lines for the terminal report (never for a scan holding values)."""
    findings = sorted(scan.findings, key=report_order) if len(scan.findings) > 1 else scan.findings
    rows = encoded_rows(findings)
    payload = _compact_json([rows, list(scan.notes)])
    has_values = any(f.value is not None for f in findings)
    text = None
    if lines and not has_values:
        from speechgate.report import text_body  # the report package, imported by the first pack that needs it

        text = text_body.plain(findings, scan.notes)
    return PackedScan(scan.sha256, payload, facts_of_rows(rows), has_values, text)


def encoded_rows(findings: Iterable[Finding]) -> list[list[Any]]:
    """One JSON-ready row per finding (the payload's layout)."""
    return [
        [f.rule, f.category.value, f.severity.value, f.confidence, f.location, f.message, f.preview,
         f.fingerprint, f.occurrences, f.value, f.suppressed_by]
        for f in findings
    ]


def facts_of_rows(rows: Sequence[Sequence[Any]]) -> Facts:
    """The Facts of encoded findings in report order (active and suppressed mixed)."""
    if not rows:
        return _NO_FACTS
    graded: list[tuple[str, float]] = []  # (severity, confidence) of the unsuppressed, in order
    categories: dict[str, int] = {}
    rules: set[tuple[str, str, str]] = set()
    suppressed_by: set[str] = set()
    first_rule, unscannable = "", False
    for row in rows:  # one pass: a warm run draws the facts of every cached finding
        rule, category, severity, by = row[_RULE], row[_CATEGORY], row[_SEVERITY], row[_BY]
        rules.add((rule, category, severity))
        if by is None:
            graded.append((severity, row[_CONFIDENCE]))
            categories[category] = categories.get(category, 0) + 1
            if rule == UNSCANNABLE:
                unscannable = True
            elif not first_rule:
                first_rule = rule
        elif by:
            suppressed_by.add(by.split(":", 1)[0])
    return Facts(
        risk=risk_of(graded), active=len(graded), suppressed=len(rows) - len(graded),
        categories=tuple(sorted(categories.items())), first_rule=first_rule, unscannable_rule=unscannable,
        rules=tuple(sorted(rules)), suppressed_by=tuple(sorted(suppressed_by)),
    )


_RULE, _CATEGORY, _SEVERITY, _CONFIDENCE, _BY = 0, 1, 2, 3, 10  # positions in a row
_NO_FACTS = Facts(0.0, 0, 0, (), "", False, (), ())


def unpack(packed: PackedScan, artifact: Artifact) -> ArtifactScan:
    """The ArtifactScan back (findings in report order); ValueError if the payload is malformed."""
    from speechgate.scan_io import ArtifactScan

    findings, notes = decode(packed.payload)
    return ArtifactScan(artifact, packed.sha256, findings, notes)


def report_order(f: Finding) -> tuple[Any, ...]:
    """Report order: by line, then pointer / tag, then column (numbers before header names)."""
    loc = f.location
    column = loc.get("column", "")
    column_key = (0, column, "") if isinstance(column, int) else (1, 0, str(column))
    return (loc.get("line", 0), str(loc.get("pointer", "")), str(loc.get("tag", "")),
            column_key, f.rule, f.fingerprint)


def decode(payload: str) -> tuple[tuple[Finding, ...], tuple[str, ...]]:
    """(findings, notes) from a payload; ValueError if it does not have the expected shape."""
    rows, notes = _split(payload)
    try:
        return tuple(_finding(row) for row in rows), notes
    except (KeyError, TypeError) as exc:
        raise ValueError("malformed finding") from exc


def decode_checked(payload: str) -> tuple[tuple[Finding, ...], tuple[str, ...]]:
    """`decode` for a payload this run has already checked or written: no second check."""
    rows, notes = json.loads(payload)
    make = Finding._make
    for row in rows:
        row[1] = _CATEGORIES[row[1]]
        row[2] = _SEVERITIES[row[2]]
        row[3] = float(row[3])
    return tuple(map(make, rows)), tuple(notes)


def _split(payload: str) -> tuple[list[Any], tuple[str, ...]]:
    doc = json.loads(payload)
    if type(doc) is not list or len(doc) != 2 or type(doc[0]) is not list or type(doc[1]) is not list:
        raise ValueError("not a packed scan")
    if not all(type(n) is str for n in doc[1]):
        raise ValueError("bad note")
    return doc[0], tuple(doc[1])


_CATEGORIES = {c.value: c for c in Category}
_SEVERITIES = {s.value: s for s in Severity}


def facts_text(facts: Facts) -> str:
    """The Facts as the cache stores them beside the payload (JSON)."""
    return _compact_json(facts)


def facts_from_text(text: str) -> Facts:
    """The Facts stored by `facts_text`; ValueError unless every field has its type.

    Many files of a tree share the same facts, so each distinct text is checked once
    (bounded memo: the text is all the answer depends on)."""
    found = _FACTS_READ.get(text)
    if found is None:
        found = _checked_facts(text)
        if len(_FACTS_READ) >= 4096:
            _FACTS_READ.clear()
        _FACTS_READ[text] = found
    return found


def _checked_facts(text: str) -> Facts:
    try:
        doc = json.loads(text)
        if type(doc) is not list:
            raise ValueError("not the facts' layout")
        risk, active, suppressed, categories, first_rule, unscannable, rules, suppressed_by = doc
        if not (type(categories) is type(rules) is type(suppressed_by) is list
                and all(type(entry) is list for entry in categories + rules)):
            raise ValueError("not the facts' layout")
        facts = Facts(
            risk=risk, active=active, suppressed=suppressed, first_rule=first_rule, unscannable_rule=unscannable,
            categories=tuple((category, count) for category, count in categories),
            rules=tuple((rule, category, severity) for rule, category, severity in rules),
            suppressed_by=tuple(suppressed_by),
        )
    except (TypeError, ValueError) as exc:  # not JSON, or a list of the wrong length or nesting
        raise ValueError("malformed facts") from exc
    if (type(facts.risk) is not float or type(active) is not int or type(suppressed) is not int
            or type(first_rule) is not str or type(unscannable) is not bool
            or not all(type(c) is str and type(n) is int for c, n in facts.categories)
            or not all(type(part) is str for rule in facts.rules for part in rule)
            or not all(type(by) is str for by in facts.suppressed_by)):
        raise ValueError("malformed facts")
    return facts


_FACTS_READ: dict[str, Facts] = {}


def _checked(row: Any) -> Sequence[Any]:
    # exact type checks and dict look-ups instead of isinstance and Enum calls: a warm run
    # checks every finding of the tree
    if type(row) is not list or len(row) != _FINDING_FIELDS:
        raise TypeError("not a finding")
    rule, category, severity, confidence, location, message, preview, fingerprint, occurrences, value, by = row
    if not type(rule) is type(message) is type(preview) is type(fingerprint) is str:
        raise TypeError("bad text")
    if type(confidence) not in (float, int) or type(occurrences) is not int or type(location) is not dict:
        raise TypeError("bad number or location")
    if (by is not None and type(by) is not str) or (value is not None and type(value) is not str):
        raise TypeError("bad suppressed_by or value")
    if category not in _CATEGORIES or severity not in _SEVERITIES:
        raise KeyError(category)
    return row


def _finding(row: Any) -> Finding:
    rule, category, severity, confidence, location, message, preview, fingerprint, occurrences, value, by = (
        _checked(row))
    return Finding(
        rule=rule, category=_CATEGORIES[category], severity=_SEVERITIES[severity],
        confidence=float(confidence), location=location, message=message, preview=preview,
        fingerprint=fingerprint, occurrences=occurrences, value=value, suppressed_by=by,
    )
