"""A small file is read once: the engine hashes its bytes and the reader parses the same bytes.

Scans with the preload and without it (PRELOAD_BYTES set to 0) must give the same result for
every text format, plain and gzipped, and a small file must be opened exactly once.
Values are invented.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import pathlib
from pathlib import Path

import pytest

from speechgate import engine
from speechgate.engine import ScanSettings, scan_artifact
from speechgate.model import Artifact
from speechgate.rules import rule_files

SRT = "1\n00:00:01,000 --> 00:00:02,000\nyou can call me on (212) 555-0142 or mail zoe.example@example.org\n"
FILES = {
    "a.srt": SRT.encode(),
    "a.srt.gz": gzip.compress(SRT.encode()),
    "b.jsonl": (json.dumps({"speaker": "Zoe Example", "text": "my card is 4111 1111 1111 1111"}) + "\n").encode(),
    "c.json": json.dumps({"segments": [{"speaker": "spk_0001", "text": "server at 203.0.113.7"}]}).encode(),
    "d.txt": "\ufeffthis is zoe example speaking\n".encode(),
}
KINDS = {"a.srt": "srt", "a.srt.gz": "gzip", "b.jsonl": "jsonl", "c.json": "json", "d.txt": "text"}


def _settings() -> ScanSettings:
    return ScanSettings(tuple(str(p) for p in rule_files()))


@pytest.mark.parametrize("name", sorted(FILES))
def test_preloaded_scan_equals_scan_from_the_file(tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / name
    path.write_bytes(FILES[name])
    artifact = Artifact(path, name, KINDS[name])
    preloaded = scan_artifact(artifact, _settings())
    monkeypatch.setattr(engine, "PRELOAD_BYTES", 0)
    from_file = scan_artifact(artifact, _settings())
    assert preloaded == from_file
    assert preloaded.sha256 == hashlib.sha256(FILES[name]).hexdigest()
    assert [f.rule for f in preloaded.findings if f.rule != "unscannable"], "the fixture should hold findings"
    assert not [f for f in preloaded.findings if f.rule == "unscannable"]


def test_a_small_file_is_opened_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.srt"
    path.write_bytes(FILES["a.srt"])
    opened: list[Path] = []
    real_open, real_os_open = pathlib.Path.open, os.open

    def counting_open(self: Path, *args: object, **kwargs: object) -> object:
        opened.append(self)
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    def counting_os_open(file: object, *args: object, **kwargs: object) -> int:
        opened.append(Path(file))  # type: ignore[arg-type]
        return real_os_open(file, *args, **kwargs)  # type: ignore[arg-type]

    # the engine reads with os-level calls, readers through Path.open: every way in is counted
    monkeypatch.setattr(pathlib.Path, "open", counting_open)
    monkeypatch.setattr(os, "open", counting_os_open)
    scan_artifact(Artifact(path, "a.srt", "srt"), _settings())
    assert opened == [path]
    opened.clear()
    monkeypatch.setattr(engine, "PRELOAD_BYTES", 0)
    scan_artifact(Artifact(path, "a.srt", "srt"), _settings())
    assert opened == [path, path]  # the control: hashed, then opened again by the reader
