"""Praat TextGrid: long and short text formats, UTF-16, escaped and multi-line strings."""

from __future__ import annotations

from pathlib import Path

import pytest

from speechgate.engine import ScanSettings, scan_artifact
from speechgate.errors import Unscannable
from speechgate.model import Artifact, Field
from speechgate.readers import textgrid
from speechgate.rules import rule_files

LONG = '''File type = "ooTextFile"
Object class = "TextGrid"

xmin = 0
xmax = 2
tiers? <exists>
size = 2
item []:
    item [1]:
        class = "IntervalTier"
        name = "Robin Example"
        xmin = 0
        xmax = 2
        intervals: size = 2
        intervals [1]:
            xmin = 0
            xmax = 1
            text = "say ""hi"" to
Sam"
        intervals [2]:
            xmin = 1
            xmax = 2
            text = ""
    item [2]:
        class = "TextTier"
        name = "words"
        xmin = 0
        xmax = 2
        points: size = 1
        points [1]:
            number = 1
            mark = "click"
'''

SHORT = '''File type = "ooTextFile"
Object class = "TextGrid"

0
4.9
<exists>
2
"IntervalTier"
"84"
0
4.9
1
0
4.9
"A SHORT PROMPT"
"IntervalTier"
"FA1"
0
4.9
0
'''


def fields(path: Path) -> list[tuple[str, str | None, dict, str]]:
    return [(f.role.value, f.name, dict(f.locator), f.text)
            for f in textgrid.read(Artifact(path, path.name, "textgrid")) if isinstance(f, Field)]


def test_long_format(tmp_path: Path) -> None:
    path = tmp_path / "session.TextGrid"
    path.write_text(LONG, encoding="utf-8")
    assert fields(path) == [
        ("speaker", "tier", {"line": 11, "column": 17}, "Robin Example"),
        ("text", "text", {"line": 18, "column": 21}, 'say "hi" to\nSam'),
        ("key", "tier", {"line": 26, "column": 17}, "words"),
        ("text", "text", {"line": 32, "column": 21}, "click"),
    ]


def test_short_format_and_file_speaker_id(tmp_path: Path) -> None:
    path = tmp_path / "84-121123-0001.TextGrid"
    path.write_text(SHORT, encoding="utf-8")
    assert fields(path) == [
        ("speaker", "tier:file_speaker_id", {"line": 9, "column": 2}, "84"),
        ("text", "text", {"line": 15, "column": 2}, "A SHORT PROMPT"),
        ("identifier", "tier", {"line": 17, "column": 2}, "FA1"),
    ]


def test_utf16_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "u16.TextGrid"
    path.write_bytes(LONG.encode("utf-16"))
    assert fields(path)[0] == ("speaker", "tier", {"line": 11, "column": 17}, "Robin Example")


@pytest.mark.parametrize(("content", "reason"), [
    (b'File type = "ooBinaryFile"\x00\x01', "binary Praat TextGrid"),
    (b'File type = "ooTextFile"\nObject class = "Sound"\n', "not a Praat TextGrid"),
    (b"hello world\n", "not a Praat TextGrid"),
    (LONG[: LONG.index("say")].encode(), "ends inside a quoted string"),
])
def test_unreadable_textgrids(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "bad.TextGrid"
    path.write_bytes(content)
    with pytest.raises(Unscannable, match=reason):
        fields(path)


def test_file_speaker_id_tier_is_a_speaker_id_finding(tmp_path: Path) -> None:
    path = tmp_path / "84-121123-0001.TextGrid"
    path.write_text(SHORT, encoding="utf-8")
    scan = scan_artifact(Artifact(path, path.name, "textgrid"),
                         ScanSettings(rule_files=tuple(str(p) for p in rule_files())))
    assert "textgrid-tier-file-speaker-id" in {f.rule for f in scan.findings}
