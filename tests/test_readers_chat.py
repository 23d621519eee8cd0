"""CHILDES/TalkBank CHAT (.cha): headers, @ID parts, main and dependent tiers."""

from __future__ import annotations

from pathlib import Path

from speechgate.engine import ScanSettings, scan_artifact
from speechgate.model import Artifact, Category, Field
from speechgate.readers import chat
from speechgate.rules import rule_files

CHA = (
    "@UTF8\n"
    "@Begin\n"
    "@Languages:\teng\n"
    "@Participants:\tCHI Robin Target_Child, MOT Mother,\n"
    "\tFAT Sam Example Father\n"
    "@ID:\teng|demo|CHI|2;04.11|female|TD|MC|Target_Child|||\n"
    "@Birth of CHI:\t03-APR-2011\n"
    "@Birthplace of MOT:\tSpringfield\n"
    "@L1 of FAT:\tdeu\n"
    "@Media:\tdemo01, audio\n"
    "@Date:\t14-NOV-2013\n"
    "@Transcriber:\tJ. Example\n"
    "@Comment:\trecorded at home\n"
    "*MOT:\twhere is Robin ? 0_1200\n"
    "%mor:\tadv|where aux|be n:prop|Robin ?\n"
    "%gra:\t1|2|ADVMOD 2|0|ROOT\n"
    "%com:\tlaughs\n"
    "@End\n"
)


def fields(tmp_path: Path) -> list[tuple[str, str | None, dict, str]]:
    path = tmp_path / "demo.cha"
    path.write_text(CHA, encoding="utf-8")
    return [(f.role.value, f.name, dict(f.locator), f.text)
            for f in chat.read(Artifact(path, "demo.cha", "cha")) if isinstance(f, Field)]


def test_chat_fields_and_locators(tmp_path: Path) -> None:
    assert fields(tmp_path) == [
        ("speaker", "CHAT:Participants:name", {"line": 4}, "Robin"),
        ("speaker", "CHAT:Participants:name", {"line": 4}, "Sam Example"),
        ("column", "CHAT:ID:age", {"line": 6, "column": 19}, "2;04.11"),
        ("column", "CHAT:ID:sex", {"line": 6, "column": 27}, "female"),
        ("column", "CHAT:ID:group", {"line": 6, "column": 34}, "TD"),
        ("column", "CHAT:ID:SES", {"line": 6, "column": 37}, "MC"),
        ("column", "CHAT:Birth", {"line": 7, "column": 16}, "03-APR-2011"),
        ("column", "CHAT:Birthplace", {"line": 8, "column": 21}, "Springfield"),
        ("column", "CHAT:L1", {"line": 9, "column": 13}, "deu"),
        ("path", "CHAT:Media", {"line": 10, "column": 9}, "demo01"),
        ("column", "CHAT:Date", {"line": 11, "column": 8}, "14-NOV-2013"),
        ("column", "CHAT:Transcriber", {"line": 12, "column": 15}, "J. Example"),
        ("text", "CHAT:Comment", {"line": 13, "column": 11}, "recorded at home"),
        ("text", "CHAT:main", {"line": 14, "column": 7}, "where is Robin ? 0_1200"),
        ("text", "CHAT:mor:proper_name", {"line": 15, "column": 31}, "Robin"),
        ("text", "CHAT:%com", {"line": 17, "column": 7}, "laughs"),
    ]


def test_chat_header_rules_fire(tmp_path: Path) -> None:
    path = tmp_path / "demo.cha"
    path.write_text(CHA, encoding="utf-8")
    scan = scan_artifact(Artifact(path, "demo.cha", "cha"),
                         ScanSettings(rule_files=tuple(str(p) for p in rule_files())))
    by_rule = {f.rule: f for f in scan.findings}
    assert by_rule["chat-birth-date"].category is Category.DATE_OF_BIRTH
    assert by_rule["chat-birth-date"].location == {"line": 7, "column": 16}
    for rule in ("chat-birthplace-language", "chat-id-demographics", "chat-recording-date-place"):
        assert by_rule[rule].category is Category.QUASI_IDENTIFIER
    for rule in ("chat-participant-name", "chat-transcriber-coder", "chat-mor-proper-name"):
        assert by_rule[rule].category is Category.PERSON_NAME
    assert all("2011" not in f.preview and "Robin" not in f.message for f in scan.findings)
