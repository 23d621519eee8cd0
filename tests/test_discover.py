"""Discovery: excludes in gitignore syntax, .speechgateignore, sorted order, display paths."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from speechgate.discover import discover
from speechgate.errors import UsageError


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "release"
    for rel in ("b.txt", "a.srt", "sub/z.csv", "sub/a.json", "sub/deep/x.rttm", "build/out.txt",
                "logs/run.log", "logs/keep.log", "c d/ü.txt"):
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("hello\n", encoding="utf-8")
    return root


def _displays(paths: list[str], include: list[str] | None = None, exclude: list[str] | None = None) -> list[str]:
    return [a.display for a in discover(paths, include or [], exclude or [])]


def test_sorted_relative_posix_paths(tree: Path) -> None:
    assert _displays([str(tree)]) == sorted([
        "a.srt", "b.txt", "build/out.txt", "c d/ü.txt", "logs/keep.log", "logs/run.log",
        "sub/a.json", "sub/deep/x.rttm", "sub/z.csv"])


def test_order_does_not_depend_on_creation_order(tmp_path: Path) -> None:
    root = tmp_path / "r"
    root.mkdir()
    for name in ("c.txt", "a.txt", "b.txt"):
        (root / name).write_text("x")
    assert _displays([str(root)]) == ["a.txt", "b.txt", "c.txt"]


def test_gitignore_style_excludes(tree: Path) -> None:
    shown = _displays([str(tree)], exclude=["build/", "*.log", "!keep.log", "/sub/deep/"])
    assert shown == ["a.srt", "b.txt", "c d/ü.txt", "logs/keep.log", "sub/a.json", "sub/z.csv"]


def test_includes(tree: Path) -> None:
    assert _displays([str(tree)], include=["*.csv", "*.json"]) == ["sub/a.json", "sub/z.csv"]


def test_speechgateignore(tree: Path) -> None:
    (tree / ".speechgateignore").write_text("# scratch output\nbuild/\nsub/*.csv\n")
    shown = _displays([str(tree)])
    assert "build/out.txt" not in shown and "sub/z.csv" not in shown
    assert "sub/a.json" in shown and ".speechgateignore" not in shown


def test_single_file_shown_as_given(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tree.parent)
    assert _displays(["release/sub/z.csv"]) == ["release/sub/z.csv"]
    assert _displays([str(tree / "a.srt")]) == [(tree / "a.srt").as_posix()]


def test_relative_folder_and_duplicates(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tree)
    artifacts = discover(["sub", "sub/z.csv", "."], [], [])
    displays = [a.display for a in artifacts]
    assert displays[:3] == ["a.json", "deep/x.rttm", "z.csv"]
    assert len(artifacts) == len({a.path.resolve() for a in artifacts}) == 9
    assert all("\\" not in d for d in displays)


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file"):
        discover([str(tmp_path / "nope")])


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_folder_symlinks_are_not_followed(tree: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("x")
    (tree / "link").symlink_to(outside, target_is_directory=True)
    assert not any(d.startswith("link/") for d in _displays([str(tree)]))


def test_kinds_are_assigned(tree: Path) -> None:
    kinds = {a.display: a.kind for a in discover([str(tree)])}
    assert kinds["a.srt"] == "srt" and kinds["sub/z.csv"] == "csv" and kinds["sub/deep/x.rttm"] == "rttm"


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_a_file_linked_inside_the_folder_is_scanned_once(tree: Path) -> None:
    (tree / "zz-alias.srt").symlink_to(tree / "a.srt")
    (tree / "sub" / "alias-dir").symlink_to(tree / "sub" / "deep", target_is_directory=True)
    shown = _displays([str(tree)])
    assert "a.srt" in shown and "zz-alias.srt" not in shown
    assert not any(d.startswith("sub/alias-dir") for d in shown)


def test_same_files_named_through_other_paths_are_deduplicated(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tree)
    shown = [a.display for a in discover(["sub/../sub", "./sub/z.csv", str(tree / "sub" / "a.json")])]
    assert shown == ["a.json", "deep/x.rttm", "z.csv"]


def test_known_kinds_skip_sniffing_only_for_unchanged_regular_files(tree: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from speechgate import discover as discover_module

    sniffed: list[str] = []
    real_classify = discover_module.classify

    def classify(path: Path | str, head: bytes) -> str:
        sniffed.append(os.path.basename(path))
        return real_classify(path, head)

    monkeypatch.setattr(discover_module, "classify", classify)
    asked: list[str] = []

    def known(absolute: str, st: os.stat_result) -> str | None:
        asked.append(absolute)
        return "rttm" if absolute.endswith("b.txt") else None

    kinds = {a.display: a.kind for a in discover([str(tree)], known_kind=known)}
    assert kinds["b.txt"] == "rttm", "the known kind is used as is"
    assert "b.txt" not in sniffed and "a.srt" in sniffed
    assert str(tree / "sub" / "z.csv") in asked, "asked with the absolute path"


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_without_files_drops_the_named_files_and_links_to_them(tree: Path) -> None:
    from speechgate.discover import without_files

    (tree / "zz-link.txt").symlink_to(tree / "b.txt")
    os.link(tree / "a.srt", tree / "hard.srt")  # another name for the same inode is not the same path
    artifacts = [a for given in (str(tree), str(tree / "zz-link.txt")) for a in discover([given])
                 if a.display in ("b.txt", "a.srt", "hard.srt") or given.endswith("zz-link.txt")]
    kept = [a.display for a in without_files(artifacts, [tree / "b.txt", tree / "a.srt", tree / "missing"])]
    assert kept == ["hard.srt"]
    assert [a.display for a in without_files(artifacts, [])] == [a.display for a in artifacts]
