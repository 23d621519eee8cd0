"""Masked previews and keyed fingerprints."""

from __future__ import annotations

import random
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from speechgate import privacy
from speechgate.cli import main


@pytest.fixture(autouse=True)
def _fresh_key() -> None:
    privacy.fingerprint_key.cache_clear()


@pytest.mark.parametrize(("value", "masked"), [
    ("jane.doe@example.com", "j***e@e***e.com"),
    ("ab@cd.org", "**@**.org"),
    ("4111111111111111", "4***1"),
    ("Mara Rivers", "M*** R***s"),
    ("p225", "p***"),
    ("ab", "**"),
    ("one two three four five six seven", "o*** t*** t*** f*** f*** s*** …"),
])
def test_mask_shapes(value: str, masked: str) -> None:
    assert privacy.mask(value) == masked


def test_mask_never_contains_the_value() -> None:
    for value in ("jane.doe@example.com", "+44 20 7946 0958", "Otto Quigley", "DE89370400440532013000"):
        assert value not in privacy.mask(value)
        assert len(privacy.mask(value).replace("*", "").replace(" ", "")) < len(value)


def test_fingerprint_is_stable_and_normalised() -> None:
    a = privacy.fingerprint("pii-email", "a.srt", "Jane.Doe@Example.com")
    assert a == privacy.fingerprint("pii-email", "a.srt", "  jane.doe@example.com ")
    assert len(a) == 32 and int(a, 16) >= 0
    assert a != privacy.fingerprint("pii-phone", "a.srt", "jane.doe@example.com")
    assert a != privacy.fingerprint("pii-email", "b.srt", "jane.doe@example.com")


def test_fingerprint_is_stable_across_processes() -> None:
    code = "from speechgate import privacy; print(privacy.fingerprint('r', 'p', 'v'))"
    env = {"SPEECHGATE_FINGERPRINT_KEY": "test-key", "PATH": ""}
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                           check=True).stdout.strip() for _ in range(2)}
    assert runs == {privacy.fingerprint("r", "p", "v")}


def test_different_key_gives_different_fingerprint(monkeypatch: pytest.MonkeyPatch) -> None:
    first = privacy.fingerprint("r", "p", "Mara Rivers")
    monkeypatch.setenv("SPEECHGATE_FINGERPRINT_KEY", "another-key")
    privacy.fingerprint_key.cache_clear()
    assert privacy.fingerprint("r", "p", "Mara Rivers") != first


def test_key_file_is_created_private_and_reused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("SPEECHGATE_FINGERPRINT_KEY")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    first = privacy.fingerprint("r", "p", "v")
    key_file = tmp_path / "speechgate" / "fingerprint.key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    privacy.fingerprint_key.cache_clear()
    assert privacy.fingerprint("r", "p", "v") == first


def _fingerprints(path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    import json

    main(["check", str(path), "--format", "json", "--no-cache"])
    doc = json.loads(capsys.readouterr().out)
    return {f["rule"]: f["fingerprint"] for a in doc["artifacts"] for f in a["findings"]}


def test_fingerprints_survive_line_moves(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    data.mkdir()
    target = data / "notes.txt"
    target.write_text("write to jane.doe@example.com today\n")
    before = _fingerprints(data, tmp_path, capsys)
    target.write_text("intro line\n\nanother line\nplease write to jane.doe@example.com\n")
    after = _fingerprints(data, tmp_path, capsys)
    assert before["pii-email"] == after["pii-email"]


def test_normalise_folds_whitespace_as_the_plain_regex_does() -> None:
    """`normalise` skips the whitespace regex for values it would not change; same result."""
    plain = re.compile(r"[\t\n\f\r ]+")
    rng = random.Random(7)
    # spaces NFKC turns into " " (no-break, em, ideographic), whitespace RE2's \s lacks (\v)
    alphabet = list("ab AB") * 3 + ["  ", "\t", "\n", "\r\n", "\f", "\v", "\u00a0", "\u2003", "\u3000",
                                    "\u00c9", "\ufb01"]
    for _ in range(20000):
        value = "".join(rng.choices(alphabet, k=rng.randint(0, 12)))
        expected = plain.sub(" ", unicodedata.normalize("NFKC", value).casefold()).strip()
        assert privacy.normalise(value) == expected, repr(value)
