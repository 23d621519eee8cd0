"""Hand-built Reports for the golden-output tests: fixed data, no scanning, invented values.

They cover every locator shape (line/column, line + pointer, CSV header column, audio tag,
path field, whole file), a suppressed finding, an unscannable artifact, a passing artifact
with a low finding, reader notes, always-fail reasons, housekeeping lines, and a path with
characters that formats must escape (space, comma, colon, percent, pipe).
"""

from __future__ import annotations

from speechgate.model import ArtifactResult, Category, Finding, Report, Severity

VERSION = "0.0.0+golden"

RULES = {
    "pii-email": {"title": "E-mail address", "category": "email", "severity": "high",
                  "description": "An e-mail address reaches a person directly.",
                  "remediation": "Replace it with <EMAIL>."},
    "pii-phone": {"title": "Telephone number", "category": "phone", "severity": "high",
                  "description": "A phone number identifies a household.", "remediation": "Mask the digits."},
    "tag-person": {"title": "Person named in an audio tag", "category": "person_name", "severity": "medium",
                   "description": "Artist and performer tags often name the speaker.",
                   "remediation": "Strip the tag before release."},
    "speaker-label-not-pseudonymous": {"title": "Speaker label that is not pseudonymous",
                                       "category": "speaker_id", "severity": "medium",
                                       "description": "Speaker labels should be SPEAKER_00 style.",
                                       "remediation": "Relabel speakers."},
    "pii-card": {"title": "Payment card number", "category": "financial", "severity": "critical",
                 "description": "A Luhn-valid card number.", "remediation": "Remove it."},
    "unscannable": {"title": "Artifact could not be scanned", "category": "unscannable", "severity": "high",
                    "description": "The file could not be parsed.", "remediation": "Convert or exclude it."},
    "corpus-path-id": {"title": "Corpus speaker id in a path", "category": "speaker_id", "severity": "low",
                       "description": "Corpus speaker ids link back to the source corpus.", "remediation": ""},
}


def _f(rule: str, category: Category, severity: Severity, confidence: float, location: dict[str, object],
       message: str, preview: str, fp: str, **kw: object) -> Finding:
    return Finding(rule=rule, category=category, severity=severity, confidence=confidence,
                   location=location, message=message, preview=preview, fingerprint=fp, **kw)  # type: ignore[arg-type]


EMAIL = _f("pii-email", Category.EMAIL, Severity.HIGH, 0.95, {"line": 12, "column": 7},
           "E-mail address in text", "j***e@e***e.com", "0123456789abcdef0123456789abcdef",
           value="jane.example@example.com")
PHONE = _f("pii-phone", Category.PHONE, Severity.HIGH, 0.8, {"line": 3, "pointer": "/text"},
           "Telephone number in column value (2 occurrences)", "+*** 5***5", "1123456789abcdef0123456789abcdef",
           occurrences=2, value="+1 555 0100 555")
SPEAKER = _f("speaker-label-not-pseudonymous", Category.SPEAKER_ID, Severity.MEDIUM, 0.7,
             {"line": 4, "column": "speaker"}, "Speaker label that is not pseudonymous in speaker field",
             "M*** R***s", "2123456789abcdef0123456789abcdef", value="Mara Rivers")
TAG = _f("tag-person", Category.PERSON_NAME, Severity.MEDIUM, 0.7, {"tag": "ID3:TPE1"},
         "Person named in an audio tag in metadata tag", "O*** Q***y", "3123456789abcdef0123456789abcdef",
         value="Otto Quigley")
CARD_SUPPRESSED = _f("pii-card", Category.FINANCIAL, Severity.CRITICAL, 0.9, {"line": 7, "column": 1},
                     "Payment card number in text", "4***2", "4123456789abcdef0123456789abcdef",
                     value="4111111111111111", suppressed_by="allow/0: test card from the payment sandbox")
PATH_LOW = _f("corpus-path-id", Category.SPEAKER_ID, Severity.LOW, 0.5, {"field": "path"},
              "Corpus speaker id in a path in file path", "p***5", "5123456789abcdef0123456789abcdef",
              value="p225")
UNSCANNABLE = _f("unscannable", Category.UNSCANNABLE, Severity.HIGH, 1.0, {"field": "file"},
                 "Could not scan: unrecognised binary format", "", "6123456789abcdef0123456789abcdef")

SHA = "ab" * 32


def failing_report() -> Report:
    """A failing public-tier run with every kind of entry a formatter has to handle."""
    artifacts = (
        ArtifactResult("calls/call 1,a:b%|c.srt", "srt", SHA, 0.9658, 0.25, "fail", (EMAIL, SPEAKER),
                       suppressed=(CARD_SUPPRESSED,), reasons=("risk 0.97 exceeds threshold 0.25",),
                       file="release/calls/call 1,a:b%|c.srt"),
        ArtifactResult("manifests/train.jsonl", "jsonl", SHA, 0.64, 0.25, "fail", (PHONE,),
                       reasons=("risk 0.64 exceeds threshold 0.25",), notes=("decoded as latin-1",),
                       file="release/manifests/train.jsonl"),
        ArtifactResult("audio/clip.mp3", "mp3", SHA, 0.35, 0.5, "pass", (TAG,), file="release/audio/clip.mp3"),
        ArtifactResult("audio/p225_001.wav", "wav", SHA, 0.1, 0.25, "pass", (PATH_LOW,),
                       file="release/audio/p225_001.wav"),
        ArtifactResult("blobs/data.bin", "binary", "", 0.8, 0.25, "fail", (UNSCANNABLE,),
                       reasons=("risk 0.80 exceeds threshold 0.25", "category unscannable always fails this tier"),
                       file="release/blobs/data.bin"),
        ArtifactResult("clean/notes.txt", "text", SHA, 0.0, 0.25, "pass", (), file="release/clean/notes.txt"),
    )
    return Report(
        tool_version=VERSION, tier="public", artifacts=artifacts,
        stale_baseline=({"fingerprint": "7123456789abcdef", "rule": "pii-email", "path": "old/gone.srt"},),
        unused_allow=("allow/1: legacy fixture names",), rules=RULES,
    )


def passing_report() -> Report:
    """A passing internal-tier run: one clean artifact, one with a low finding."""
    artifacts = (
        ArtifactResult("audio/p225_001.wav", "wav", SHA, 0.1, 0.9, "pass", (PATH_LOW,), file="audio/p225_001.wav"),
        ArtifactResult("clean/notes.txt", "text", SHA, 0.0, 0.9, "pass", (), file="clean/notes.txt"),
    )
    return Report(tool_version=VERSION, tier="internal", artifacts=artifacts, rules=RULES)


REPORTS = {"failing": failing_report, "passing": passing_report}
