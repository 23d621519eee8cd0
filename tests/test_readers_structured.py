"""JSON, JSONL and CSV/TSV manifests: pointer locators, key roles, paths, embeddings, limits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from speechgate.engine import ScanSettings, scan_artifact
from speechgate.errors import Unscannable
from speechgate.kinds import classify
from speechgate.model import Artifact, Category, Field, Note
from speechgate.readers import reader_for
from speechgate.readers.roles import role_for_name
from speechgate.rules import rule_files


def items(tmp_path: Path, name: str, content: str) -> list[Field | Note]:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    kind = classify(path, path.read_bytes()[:4096])
    reader = reader_for(kind)
    assert reader is not None
    return list(reader(Artifact(path, name, kind)))


def fields(tmp_path: Path, name: str, content: str) -> list[tuple[str, str | None, dict, str]]:
    return [(f.role.value, f.name, dict(f.locator), f.text)
            for f in items(tmp_path, name, content) if isinstance(f, Field)]


def test_nemo_manifest_line(tmp_path: Path) -> None:
    line = {"audio_filepath": "/home/alex/data/a.wav", "duration": 1.5, "text": "hi", "speaker": "alex_e"}
    assert fields(tmp_path, "train.jsonl", json.dumps(line) + "\n") == [
        ("key", "audio_filepath", {"line": 1, "pointer": "/audio_filepath"}, "audio_filepath"),
        ("path", "audio_filepath", {"line": 1, "pointer": "/audio_filepath"}, "/home/alex/data/a.wav"),
        ("key", "duration", {"line": 1, "pointer": "/duration"}, "duration"),
        ("column", "duration", {"line": 1, "pointer": "/duration"}, "1.5"),
        ("key", "text", {"line": 1, "pointer": "/text"}, "text"),
        ("text", "text", {"line": 1, "pointer": "/text"}, "hi"),
        ("key", "speaker", {"line": 1, "pointer": "/speaker"}, "speaker"),
        ("speaker", "speaker", {"line": 1, "pointer": "/speaker"}, "alex_e"),
    ]


@pytest.mark.parametrize(("name", "role"), [
    # NeMo, Lhotse, Hugging Face, Common Voice, SpeechBrain, WhisperX / whisper
    ("audio_filepath", "path"), ("recording_id", "identifier"), ("speaker", "speaker"), ("symbol", "text"),
    ("storage_path", "path"), ("source", "path"), ("file_name", "path"), ("transcription", "text"),
    ("client_id", "speaker"), ("path", "path"), ("sentence", "text"), ("sentence_id", "identifier"),
    ("spk_id", "speaker"), ("wrd", "text"), ("wav", "path"), ("word", "text"), ("reader_id", "speaker"),
    ("speaker_name", "speaker"), ("age", "column"), ("gender", "column"),
])
def test_manifest_key_roles(name: str, role: str) -> None:
    assert role_for_name(name).value == role


def test_whisperx_speakers_and_embeddings(tmp_path: Path) -> None:
    doc = {"segments": [{"text": "hello", "speaker": "SPEAKER_00",
                         "words": [{"word": "hello", "speaker": "SPEAKER_00"}]}],
           "speaker_embeddings": {"SPEAKER_00": [0.01] * 192}}
    got = fields(tmp_path, "out.json", json.dumps(doc))
    assert ("speaker", "speaker", {"pointer": "/segments/0/speaker"}, "SPEAKER_00") in got
    assert ("speaker", "speaker", {"pointer": "/segments/0/words/0/speaker"}, "SPEAKER_00") in got
    assert ("binary", "SPEAKER_00", {"pointer": "/speaker_embeddings/SPEAKER_00"}, "float[192]") in got
    path = tmp_path / "out.json"
    scan = scan_artifact(Artifact(path, "out.json", "json"), ScanSettings(tuple(str(p) for p in rule_files())))
    assert Category.VOICEPRINT in {f.category for f in scan.findings}


def test_absolute_path_value_under_unknown_key_is_a_path(tmp_path: Path) -> None:
    got = fields(tmp_path, "m.json", json.dumps({"origin": "/Users/kim/rec/a.wav", "note2": "/ not a path"}))
    assert ("path", "origin", {"pointer": "/origin"}, "/Users/kim/rec/a.wav") in got
    assert ("column", "note2", {"pointer": "/note2"}, "/ not a path") in got


def test_json_lines_in_a_json_file_are_read_as_jsonl(tmp_path: Path) -> None:
    got = items(tmp_path, "manifest.json", '{"speaker": "a1"}\n{"speaker": "b2"}\n')
    assert isinstance(got[0], Note) and "JSON Lines" in got[0].message
    texts = [(f.role.value, dict(f.locator), f.text) for f in got if isinstance(f, Field) and f.role.value != "key"]
    assert texts == [("speaker", {"line": 1, "pointer": "/speaker"}, "a1"),
                     ("speaker", {"line": 2, "pointer": "/speaker"}, "b2")]


def test_json_depth_limit_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPEECHGATE_MAX_JSON_DEPTH", "5")
    with pytest.raises(Unscannable, match="nested deeper than 5"):
        items(tmp_path, "deep.json", "[" * 8 + "1" + "]" * 8)
    assert len(items(tmp_path, "ok.json", "[" * 4 + '"x"' + "]" * 4)) == 1


@pytest.mark.parametrize("leaf", ['"x"', "7", '""', "null", "true"])
@pytest.mark.parametrize("container", ["list", "dict"])
def test_json_depth_limit_counts_leaves_exactly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                leaf: str, container: str) -> None:
    """A scalar one level past the limit is too deep, even though leaves skip the recursion."""
    monkeypatch.setenv("SPEECHGATE_MAX_JSON_DEPTH", "3")

    def nest(levels: int) -> str:
        return ("[" * levels + leaf + "]" * levels) if container == "list" else ('{"k":' * levels + leaf + "}" * levels)

    assert isinstance(items(tmp_path, "ok.json", nest(3)), list)  # leaf at depth 3: within the limit
    with pytest.raises(Unscannable, match="nested deeper than 3"):
        items(tmp_path, "deep.json", nest(4))  # leaf at depth 4


def test_common_voice_tsv(tmp_path: Path) -> None:
    content = "client_id\tpath\tsentence\tage\tgender\n" + "ab" * 64 + "\tcv_1.mp3\thello\ttwenties\tfemale\n"
    got = fields(tmp_path, "validated.tsv", content)
    assert ("speaker", "client_id", {"line": 2, "column": "client_id"}, "ab" * 64) in got
    assert ("path", "path", {"line": 2, "column": "path"}, "cv_1.mp3") in got
    assert ("column", "age", {"line": 2, "column": "age"}, "twenties") in got


def test_pipe_separated_csv_is_sniffed(tmp_path: Path) -> None:
    content = "LJ1-0001|Printing, in the only sense|Printing, in the only sense\nLJ1-0002|in being|in being\n"
    got = fields(tmp_path, "metadata.csv", content)
    assert got[:2] == [("column", None, {"line": 1, "column": "1"}, "LJ1-0001"),
                       ("column", None, {"line": 1, "column": "2"}, "Printing, in the only sense")]


def test_hugging_face_metadata_csv(tmp_path: Path) -> None:
    got = fields(tmp_path, "metadata.csv", "file_name,transcription\ndata/a.wav,good morning\n")
    assert got == [
        ("key", "file_name", {"line": 1, "column": "file_name"}, "file_name"),
        ("key", "transcription", {"line": 1, "column": "transcription"}, "transcription"),
        ("path", "file_name", {"line": 2, "column": "file_name"}, "data/a.wav"),
        ("text", "transcription", {"line": 2, "column": "transcription"}, "good morning"),
    ]


def test_absolute_path_cell_is_a_path(tmp_path: Path) -> None:
    got = fields(tmp_path, "m.csv", "clip,origin\n1,/home/kim/raw/a.wav\n")
    assert ("path", "origin", {"line": 2, "column": "origin"}, "/home/kim/raw/a.wav") in got


def test_integer_arrays_are_not_embeddings(tmp_path: Path) -> None:
    doc = {"segments": [{"tokens": list(range(50_000, 50_200)), "text": "hi"}], "emb": [[0.5] * 128] * 2}
    got = fields(tmp_path, "whisper.json", json.dumps(doc))
    assert ("binary", "tokens", {"pointer": "/segments/0/tokens"}, "int[200]") in got
    assert ("binary", "emb", {"pointer": "/emb"}, "float[2x128]") in got
    path = tmp_path / "whisper.json"
    path.write_text(json.dumps({"segments": doc["segments"]}), encoding="utf-8")
    scan = scan_artifact(Artifact(path, path.name, "json"), ScanSettings(tuple(str(p) for p in rule_files())))
    assert Category.VOICEPRINT not in {f.category for f in scan.findings}


def test_a_first_row_holding_an_email_is_data_not_a_header(tmp_path: Path) -> None:
    from speechgate.readers import table

    path = tmp_path / "contacts.csv"
    path.write_text("Kim Example,kim@example.org\nJo Example,jo@example.org\n")
    got = [(f.role.value, dict(f.locator)) for f in table.read(Artifact(path, path.name, "csv"))
           if isinstance(f, Field)]
    assert got[:2] == [("column", {"line": 1, "column": "1"}), ("column", {"line": 1, "column": "2"})]


@pytest.mark.parametrize("value", ["/home/a/x.wav", "~/x", "C:\\data", "file:///a", "/a", "fil", "x", "a:/b", "é:\\x"])
def test_absolute_path_pre_check_is_a_superset(value: str) -> None:
    from speechgate.readers.structured import ABSOLUTE_PATH, _may_be_absolute

    assert _may_be_absolute(value) or not ABSOLUTE_PATH.search(value)


def test_absolute_path_pre_check_is_a_superset_on_random_text() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from speechgate.readers.structured import ABSOLUTE_PATH, _may_be_absolute

    prefix = st.sampled_from(["", "/", "~", "~/", "f", "file://", "C:", "C:\\", "/x/", "z:\\"])

    @settings(max_examples=400, deadline=None)
    @given(prefix, st.text(min_size=1, max_size=12))
    def check(head: str, tail: str) -> None:
        value = head + tail
        assert _may_be_absolute(value) or not ABSOLUTE_PATH.search(value)

    check()
