"""Config: discovery, merge over the bundled default, schema errors, allow expiry, tiers."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from speechgate.cli import main
from speechgate.config import load_config
from speechgate.errors import UsageError

# one invented, non-pseudonymous speaker label: a single medium finding, risk 0.35 (fails public only)
RTTM_TEXT = "SPEAKER rec1 1 0.000 3.100 <NA> <NA> wombat <NA> <NA>\n"


@pytest.fixture
def rttm(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "data" / "rec1.rttm"
    path.parent.mkdir()
    path.write_text(RTTM_TEXT)
    main(["check", str(path), "--format", "json", "--no-cache"])
    [finding] = json.loads(capsys.readouterr().out)["artifacts"][0]["findings"]
    assert finding["rule"] == "speaker-label-not-pseudonymous"
    return path


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "a" / "b").mkdir(parents=True)
    return root


def test_no_config_gives_bundled_default(repo: Path) -> None:
    config = load_config(None, repo / "a" / "b")
    assert config.source is None
    assert config.data["default_tier"] == "public"
    assert config.threshold("public", "srt") == 0.25


def test_dotfile_found_walking_up(repo: Path) -> None:
    (repo / ".speechgate.yaml").write_text("default_tier: partner\n")
    config = load_config(None, repo / "a" / "b")
    assert config.source == repo / ".speechgate.yaml"
    assert config.data["default_tier"] == "partner"


def test_nearest_source_wins(repo: Path) -> None:
    (repo / ".speechgate.yaml").write_text("default_tier: partner\n")
    (repo / "a" / ".speechgate.yaml").write_text("default_tier: internal\n")
    assert load_config(None, repo / "a" / "b").data["default_tier"] == "internal"


def test_walk_stops_at_repository_root(repo: Path) -> None:
    (repo.parent / ".speechgate.yaml").write_text("default_tier: internal\n")
    assert load_config(None, repo / "a").source is None


def test_pyproject_section(repo: Path) -> None:
    (repo / "a" / "pyproject.toml").write_text("[project]\nname = 'x'\n")  # no section: keep walking
    (repo / "pyproject.toml").write_text("[tool.speechgate]\ndefault_tier = 'internal'\n"
                                         "[tool.speechgate.tiers.public]\nthreshold = 0.4\n")
    config = load_config(None, repo / "a" / "b")
    assert config.source == repo / "pyproject.toml"
    assert config.data["default_tier"] == "internal"
    assert config.threshold("public", "srt") == 0.4


def test_explicit_config_wins_over_discovery(repo: Path) -> None:
    (repo / ".speechgate.yaml").write_text("default_tier: partner\n")
    explicit = repo / "custom.yaml"
    explicit.write_text("default_tier: internal\n")
    assert load_config(explicit, repo).data["default_tier"] == "internal"


def test_merge_over_default_mappings_merge_lists_replace(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("tiers: {public: {threshold: 0.5}}\nexclude: [build/]\n")
    data = load_config(path, tmp_path).data
    assert data["tiers"]["public"]["threshold"] == 0.5
    assert data["tiers"]["public"]["always_fail"] == ["unscannable", "voiceprint"]
    assert data["tiers"]["partner"]["threshold"] == 0.6
    assert data["exclude"] == ["build/"]


@pytest.mark.parametrize(("text", "pointer"), [
    ("tiers: {public: {thresh: 0.5}}\n", "/tiers/public/thresh: unknown key"),
    ("colour: red\n", "/colour: unknown key"),
    ("allow: [{rule: pii-email, reason: ok, note: x}]\n", "/allow/0/note: unknown key"),
    ("min_confidence: 2\n", "/min_confidence: "),
    ("allow: [{rule: pii-email}]\n", "/allow/0: "),
])
def test_schema_errors_name_the_json_path(tmp_path: Path, text: str, pointer: str) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(text)
    with pytest.raises(UsageError) as info:
        load_config(path, tmp_path)
    assert f"{path}: {pointer}" in str(info.value)


def test_unknown_key_exits_2_naming_the_path(tmp_path: Path, rttm: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("tiers: {public: {thresh: 0.5}}\n")
    assert main(["check", str(rttm), "--config", str(path), "--no-cache"]) == 2
    err = capsys.readouterr().err
    assert "/tiers/public/thresh" in err and "Traceback" not in err


def test_invalid_yaml_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("tiers: [unclosed\n")
    with pytest.raises(UsageError, match="invalid config syntax"):
        load_config(path, tmp_path)


def test_expired_allow_entry_is_named(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("allow:\n  - {rule: pii-email, reason: fine, expires: '2030-01-01'}\n"
                    "  - {rule: pii-phone, reason: temporary, expires: '2025-06-30'}\n")
    load_config(path, tmp_path, today=dt.date(2025, 6, 30))  # the expiry day itself is still valid
    with pytest.raises(UsageError) as info:
        load_config(path, tmp_path, today=dt.date(2025, 7, 1))
    assert "/allow/1" in str(info.value) and "expired on 2025-06-30" in str(info.value)


def test_per_kind_threshold(tmp_path: Path, rttm: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("tiers: {public: {kinds: {rttm: 0.5}}}\n")
    config = load_config(path, tmp_path)
    assert config.threshold("public", "rttm") == 0.5
    assert config.threshold("public", "srt") == 0.25
    assert main(["check", str(rttm), "--no-cache"]) == 1
    assert main(["check", str(rttm), "--config", str(path), "--no-cache"]) == 0
    capsys.readouterr()


def test_always_fail_category(tmp_path: Path, rttm: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(rttm), "--tier", "internal", "--no-cache"]) == 0
    path = tmp_path / "c.yaml"
    path.write_text("tiers: {internal: {always_fail: [speaker_id]}}\n")
    capsys.readouterr()
    assert main(["check", str(rttm), "--tier", "internal", "--config", str(path), "--format", "json",
                 "--no-cache"]) == 1
    doc = json.loads(capsys.readouterr().out)
    artifact = doc["artifacts"][0]
    assert artifact["risk"] < artifact["threshold"]
    assert artifact["reasons"] == ["category speaker_id always fails this tier"]


def test_disable_and_allow_from_config(tmp_path: Path, rttm: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("rules: {disable: [speaker-label-not-pseudonymous]}\n")
    assert main(["check", str(rttm), "--config", str(path), "--no-cache"]) == 0
    capsys.readouterr()
    path.write_text("allow: [{rule: speaker-label-not-pseudonymous, path: '*.rttm', reason: reviewed}]\n")
    assert main(["check", str(rttm), "--config", str(path), "--no-cache", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["summary"]["suppressed"] == 1
    path.write_text("rules: {disable: [no-such-rule]}\n")
    assert main(["check", str(rttm), "--config", str(path), "--no-cache"]) == 2


def test_check_discovers_config_from_the_working_folder(repo: Path, rttm: Path, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(repo / "a" / "b")
    assert main(["check", str(rttm), "--no-cache"]) == 1  # bundled default: public
    (repo / ".speechgate.yaml").write_text("default_tier: internal\n")
    assert main(["check", str(rttm), "--no-cache"]) == 0
    (repo / ".speechgate.yaml").write_text("default_tier: internal\nbogus: 1\n")
    assert main(["check", str(rttm), "--no-cache"]) == 2
    assert "/bogus: unknown key" in capsys.readouterr().err
