"""Quasi-identifier columns: reported once per column with the row count, in CSV, TSV,
JSON and JSONL manifests; coarse demographics alone stay under the public threshold, a
recording date-time with them does not. Rows are invented."""

from __future__ import annotations

import json
from pathlib import Path

from speechgate.cli import main

ROWS = [(f"clip_{i:04d}.wav", "twenties" if i % 2 else "forties", "female" if i % 3 else "male", "scottish",
         f"2023-05-{i + 1:02d} 10:{i:02d}") for i in range(7)]


def _scan(path: Path) -> tuple[int, dict]:
    out = path.parent / "report.json"
    code = main(["check", "--no-cache", "--format", "json", "-o", str(out), str(path)])
    return code, json.loads(out.read_text())["artifacts"][0]


def _quasi(artifact: dict) -> dict[str, dict]:
    return {f["message"].split("'")[1]: f for f in artifact["findings"] if f["category"] == "quasi_identifier"}


def test_csv_columns_are_reported_once_with_their_row_count(tmp_path: Path) -> None:
    path = tmp_path / "meta.csv"
    path.write_text("path,age,gender,accent,recording_date\n" + "".join(",".join(r) + "\n" for r in ROWS))
    code, artifact = _scan(path)
    found = _quasi(artifact)
    assert set(found) == {"age", "gender", "accent", "recording_date"}
    assert {f["occurrences"] for f in found.values()} == {7}
    assert all("7 rows" in f["message"] for f in found.values())
    assert code == 1  # a recording date-time with demographics fails the public tier


def test_tsv_and_jsonl_count_the_same_way(tmp_path: Path) -> None:
    tsv = tmp_path / "validated.tsv"
    tsv.write_text("path\tsentence\tage\tgender\n" + "".join(f"{r[0]}\thello there\t{r[1]}\t{r[2]}\n" for r in ROWS))
    jsonl = tmp_path / "manifest.jsonl"
    jsonl.write_text("".join(json.dumps({"audio_filepath": r[0], "age": r[1], "gender": r[2]}) + "\n"
                             for r in ROWS[:5]))
    for path, rows in ((tsv, 7), (jsonl, 5)):
        found = _quasi(_scan(path)[1])
        assert set(found) == {"age", "gender"}, path.name
        assert {f["occurrences"] for f in found.values()} == {rows}, path.name


def test_json_document_keys_are_one_finding_per_key(tmp_path: Path) -> None:
    doc = {f"utt_{i}": {"wav": r[0], "accent": r[3], "native_language": "english", "recording_date": r[4]}
           for i, r in enumerate(ROWS[:3])}
    path = tmp_path / "annotation.json"
    path.write_text(json.dumps(doc))
    found = _quasi(_scan(path)[1])
    assert set(found) == {"accent", "native_language", "recording_date"}
    assert {f["occurrences"] for f in found.values()} == {3}


def test_two_coarse_demographic_columns_pass_and_values_are_not_columns(tmp_path: Path) -> None:
    path = tmp_path / "meta.csv"
    path.write_text("path,age,gender\n" + "".join(",".join(r[:3]) + "\n" for r in ROWS))
    code, artifact = _scan(path)
    assert code == 0
    assert len(_quasi(artifact)) == 2
    assert all(f["location"].get("line") == 1 for f in artifact["findings"])


def test_age_gender_and_accent_together_fail_public(tmp_path: Path) -> None:
    """The Common Voice combination singles speakers out: three demographic columns exceed 0.25."""
    path = tmp_path / "meta.csv"
    path.write_text("path,age,gender,accent\n" + "".join(",".join(r[:4]) + "\n" for r in ROWS))
    code, artifact = _scan(path)
    assert code == 1
    assert len(_quasi(artifact)) == 3


def test_lookalike_column_names_are_not_quasi_identifiers(tmp_path: Path) -> None:
    path = tmp_path / "meta.csv"
    path.write_text("path,page,average,message,duration,start_time\nclip.wav,1,0.5,hello,2.5,0.0\n")
    assert _quasi(_scan(path)[1]) == {}


def test_recording_date_inside_a_recording_id(tmp_path: Path) -> None:
    path = tmp_path / "sys.rttm"
    path.write_text("".join(f"SPEAKER site_20160714_1 1 {i}.0 1.0 <NA> <NA> SPEAKER_0{i % 2} <NA> <NA>\n"
                            for i in range(4)) + "SPEAKER meeting01 1 9.0 1.0 <NA> <NA> SPEAKER_00 <NA> <NA>\n")
    code, artifact = _scan(path)
    rules = [f["rule"] for f in artifact["findings"]]
    assert rules == ["quasi-recording-date-in-id"]
    assert artifact["findings"][0]["occurrences"] == 4
    assert code == 1
