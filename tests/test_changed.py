"""Changed files only: --staged scans the index's content, --since follows renames, nothing else is read."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import time
from pathlib import Path

import pytest

from speechgate import changed
from speechgate.cli import main
from speechgate.errors import UsageError

RISKY = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nWrite to rowan.quill@example.org please.\n"
CLEAN = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nMild weather today.\n"
FAST = ["--jobs", "1", "--no-cache", "--format", "json"]


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for key in [k for k in os.environ if k.startswith("GIT_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("GIT_AUTHOR_NAME", "Test User")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "test.user@example.invalid")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "Test User")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "test.user@example.invalid")
    monkeypatch.chdir(tmp_path)
    git("init", "-q")
    Path("data").mkdir()
    Path("data/old_risky.vtt").write_text(RISKY, encoding="utf-8")
    Path("data/a.vtt").write_text(CLEAN, encoding="utf-8")
    Path("data/b.vtt").write_text(CLEAN, encoding="utf-8")
    Path("data/gone.vtt").write_text(CLEAN, encoding="utf-8")
    git("add", ".")
    git("commit", "-q", "-m", "base")
    return tmp_path


def git(*args: str) -> str:
    return subprocess.run(["git", *args], capture_output=True, text=True, check=True).stdout.strip()


def _paths(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str], str]:
    code = main(["check", *FAST, *args])
    out = capsys.readouterr().out
    return code, [a["path"] for a in json.loads(out)["artifacts"]], out


def test_staged_lists_added_modified_renamed_not_deleted(repo: Path) -> None:
    Path("data/a.vtt").write_text(CLEAN + "\n", encoding="utf-8")
    Path("data/new.vtt").write_text(CLEAN, encoding="utf-8")
    git("add", "data/a.vtt", "data/new.vtt")
    git("mv", "data/b.vtt", "data/renamed.vtt")
    git("rm", "-q", "data/gone.vtt")
    Path("data/old_risky.vtt").write_text(RISKY + "\n", encoding="utf-8")  # modified, not staged
    diff = changed.staged(Path.cwd())
    assert diff.root.resolve() == repo.resolve()
    assert diff.paths == ("data/a.vtt", "data/new.vtt", "data/renamed.vtt")


def test_staged_scans_the_index_not_the_working_tree(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("data/a.vtt").write_text(RISKY, encoding="utf-8")
    git("add", "data/a.vtt")
    Path("data/a.vtt").write_text(CLEAN, encoding="utf-8")  # cleaned in the tree, but not staged
    code, paths, out = _paths(capsys, "--staged")
    assert code == 1
    assert paths == ["data/a.vtt"]
    assert "speechgate-index-" not in out  # reported under its repository path
    assert "rowan.quill@example.org" not in out

    Path("data/a.vtt").write_text(CLEAN + "\n", encoding="utf-8")
    git("add", "data/a.vtt")
    Path("data/a.vtt").write_text(RISKY, encoding="utf-8")  # risky in the tree, clean in the index
    code, paths, _ = _paths(capsys, "--staged")
    assert (code, paths) == (0, ["data/a.vtt"])


def test_staged_nothing_staged_checks_nothing(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, paths, _ = _paths(capsys, "--staged")
    assert (code, paths) == (0, [])


def test_staged_in_a_repository_without_commits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    git("init", "-q")
    Path("first.vtt").write_text(RISKY, encoding="utf-8")
    git("add", "first.vtt")
    code, paths, _ = _paths(capsys, "--staged")
    assert (code, paths) == (1, ["first.vtt"])


def test_unchanged_files_are_not_opened(repo: Path, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    Path("data/a.vtt").write_text(CLEAN + "\n", encoding="utf-8")
    git("add", "data/a.vtt")
    opened: list[str] = []
    real_open = pathlib.Path.open

    def spy(self: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        opened.append(self.name)
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pathlib.Path, "open", spy)
    code, paths, _ = _paths(capsys, "--staged")
    assert (code, paths) == (0, ["data/a.vtt"])
    assert "a.vtt" in opened
    assert not {"old_risky.vtt", "b.vtt", "gone.vtt"} & set(opened)


def test_since_follows_renames_and_includes_working_tree_changes(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = git("rev-parse", "HEAD")
    git("mv", "data/b.vtt", "data/renamed.vtt")
    git("rm", "-q", "data/gone.vtt")
    git("commit", "-q", "-m", "rename and delete")
    Path("data/a.vtt").write_text(CLEAN + "\n", encoding="utf-8")  # uncommitted edit
    assert changed.since(base, Path.cwd()).paths == ("data/a.vtt", "data/renamed.vtt")
    code, paths, _ = _paths(capsys, "--since", base)
    assert (code, paths) == (0, ["data/a.vtt", "data/renamed.vtt"])


def test_since_a_branch_uses_the_merge_base(repo: Path) -> None:
    git("checkout", "-q", "-b", "feature")
    Path("data/a.vtt").write_text(CLEAN + "\n", encoding="utf-8")
    git("commit", "-q", "-am", "feature change")
    git("checkout", "-q", "-")
    Path("data/b.vtt").write_text(CLEAN + "\n", encoding="utf-8")
    git("commit", "-q", "-am", "main moved on")
    main_branch = git("rev-parse", "--abbrev-ref", "HEAD")
    git("checkout", "-q", "feature")
    assert changed.since(main_branch, Path.cwd()).paths == ("data/a.vtt",)


def test_paths_limit_the_changed_set_and_subfolders_work(repo: Path, capsys: pytest.CaptureFixture[str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    Path("other").mkdir()
    Path("other/x.vtt").write_text(RISKY, encoding="utf-8")
    Path("data/a.vtt").write_text(CLEAN + "\n", encoding="utf-8")
    git("add", ".")
    code, paths, _ = _paths(capsys, "--staged", "data")
    assert (code, paths) == (0, ["data/a.vtt"])
    monkeypatch.chdir(repo / "data")
    code, paths, _ = _paths(capsys, "--staged")
    assert (code, paths) == (0, ["a.vtt"])


def test_staged_and_since_share_baselines_with_full_runs(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("data/a.vtt").write_text(RISKY, encoding="utf-8")
    assert main(["baseline", "create", ".speechgate-baseline.json"]) == 0
    git("add", "data/a.vtt")
    capsys.readouterr()
    code, paths, _ = _paths(capsys, "--staged", "--baseline", ".speechgate-baseline.json")
    assert (code, paths) == (0, ["data/a.vtt"])
    code, paths, _ = _paths(capsys, "--since", "HEAD", "--baseline", ".speechgate-baseline.json")
    assert (code, paths) == (0, ["data/a.vtt"])


def test_errors_are_usage_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str], repo: Path) -> None:
    assert main(["check", "--since", "no-such-rev"]) == 2
    assert "--since: 'no-such-rev' is not a commit" in capsys.readouterr().err
    assert main(["check", "--since", "--output=x"]) == 2
    assert main(["check", "--staged", "--since", "HEAD"]) == 2
    outside = tmp_path.parent / f"{tmp_path.name}-not-a-repo"
    outside.mkdir()
    monkeypatch.chdir(outside)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(outside.parent))
    with pytest.raises(UsageError):
        changed.staged(outside)
    assert main(["check", "--staged"]) == 2


def test_staged_with_a_warm_cache_scans_the_staged_content(repo: Path, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    """The working-tree file's cached pre-key must not stand in for the staged snapshot."""
    Path("data/a.vtt").write_text(RISKY, encoding="utf-8")
    git("add", "data/a.vtt")
    Path("data/a.vtt").write_text(CLEAN, encoding="utf-8")  # clean in the tree, risky in the index
    old = time.time() - 3600
    os.utime("data/a.vtt", (old, old))  # not 'racy': its pre-key is recorded
    cached = ["check", "--format", "json", "--cache-dir", str(tmp_path / "cache"), "-j", "1"]
    assert main([*cached, "data/a.vtt"]) == 0  # records the clean working-tree file
    assert main([*cached, "data/a.vtt"]) == 0  # and hits it
    capsys.readouterr()
    assert main([*cached, "--staged"]) == 1
    assert [a["path"] for a in json.loads(capsys.readouterr().out)["artifacts"]] == ["data/a.vtt"]
