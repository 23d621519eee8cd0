"""Discovery in a helper process yields exactly what discovery in this process yields, and
recovers when the helper fails or dies."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from speechgate import discover_ahead
from speechgate.cli import main
from speechgate.config import load_config
from speechgate.errors import UsageError
from speechgate.gate import RunOptions, stream_artifacts
from speechgate.model import Artifact
from speechgate.runner import RunnerOptions
from tests.conftest import EXAMPLES

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")


def _tree(root: Path, files: int = 1300) -> Path:
    for i in range(files):
        folder = root / f"d{i % 7}" / f"e{i % 3}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"f{i:05d}.txt").write_text(f"line {i}\n")
    (root / "link.txt").symlink_to(root / "d0" / "e0" / "f00000.txt")
    (root / ".speechgateignore").write_text("d6/\n")
    return root


def _fields(artifacts: list[Artifact]) -> list[tuple[object, ...]]:
    return [(a.path, str(a.path), a.path.as_posix(), a.display, a.kind, a.known) for a in artifacts]


def _found(artifacts: list[Artifact]) -> list[tuple[object, ...]]:
    """The plain tuples discovery gives a helper (discover.iter_found)."""
    return [(os.fspath(a.path), a.display, a.kind, a.known) for a in artifacts]


def _in_process(paths: list[str], cache: Path | None) -> list[Artifact]:
    options = RunOptions(tier="public", runner=RunnerOptions(jobs=1, cache_dir=cache))
    return list(stream_artifacts(paths, load_config(None, Path(paths[0])), options))


def _with_helper(paths: list[str], cache: Path | None) -> list[Artifact]:
    options = RunOptions(tier="public", runner=RunnerOptions(jobs=2, cache_dir=cache))
    return list(stream_artifacts(paths, load_config(None, Path(paths[0])), options))


def test_the_helper_yields_what_discovery_here_yields(tmp_path: Path) -> None:
    tree = _tree(tmp_path / "t")
    for p in tree.rglob("*"):  # old enough for the cache to record their pre-keys
        os.utime(p, (1_000_000_000, 1_000_000_000), follow_symlinks=False)
    paths = [str(tree), str(EXAMPLES)]
    assert main(["check", *paths, "--cache-dir", str(tmp_path / "c"), "-q"]) == 1
    here, helped = _in_process(paths, tmp_path / "c"), _with_helper(paths, tmp_path / "c")
    assert len(here) > 1100  # d6/ is ignored
    assert _fields(helped) == _fields(here)
    assert sum(a.known is not None for a in helped) > 1000, "the cache's pre-keys came through"


def test_a_helper_that_dies_is_replaced_and_no_file_is_lost_or_doubled(tmp_path: Path) -> None:
    tree = _tree(tmp_path / "t")
    parent = os.getpid()
    expected = _in_process([str(tree)], None)

    def make() -> Iterator[tuple[object, ...]]:
        for number, artifact in enumerate(_found(_in_process([str(tree)], None))):
            if os.getpid() != parent and number == 700:
                os._exit(9)  # the helper is killed mid-walk
            yield artifact

    assert _fields(list(discover_ahead.ahead(make))) == _fields(expected)


def test_an_error_in_the_helper_is_raised_here(tmp_path: Path) -> None:
    tree = _tree(tmp_path / "t", files=50)

    def make() -> Iterator[tuple[object, ...]]:
        yield from _found(_in_process([str(tree)], None))[:10]
        raise UsageError("bad ignore pattern in .speechgateignore")

    with pytest.raises(UsageError, match="bad ignore pattern"):
        list(discover_ahead.ahead(make))  # the run stops, as it would without a helper


def test_stopping_early_ends_the_helper(tmp_path: Path) -> None:
    tree = _tree(tmp_path / "t")
    pids: list[int] = []
    real_fork = os.fork

    def fork() -> int:
        pid = real_fork()
        if pid:
            pids.append(pid)
        return pid

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "fork", fork)
        stream = discover_ahead.ahead(lambda: iter(_found(_in_process([str(tree)], None))))
        next(stream)
        stream.close()  # type: ignore[attr-defined]
    assert len(pids) == 1
    with pytest.raises(ChildProcessError):
        os.waitpid(pids[0], os.WNOHANG)  # already reaped


def test_elsewhere_than_linux_discovery_stays_in_this_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tree = _tree(tmp_path / "t", files=20)
    monkeypatch.setattr(discover_ahead.sys, "platform", "darwin")
    monkeypatch.setattr(os, "fork", lambda: pytest.fail("forked"))
    assert _fields(list(discover_ahead.ahead(lambda: iter(_found(_in_process([str(tree)], None)))))) == _fields(
        _in_process([str(tree)], None))


@pytest.mark.parametrize("shortcut", [True, False])
@pytest.mark.parametrize("walked", ["./t/a.srt", "t//b c.vtt", "/x/../y/é.json", "/f.wav", "g.txt", "t/./h.rttm",
                                    "//i.srt", "///j.srt", "t///k.txt", "t/u//l.vtt"])
def test_paths_built_in_the_parent_are_the_paths_discovery_means(walked: str, shortcut: bool,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(discover_ahead, "_SHORTCUT", shortcut and discover_ahead._SHORTCUT)
    artifact = discover_ahead._artifact((walked, "d", "text", None), {})
    assert (artifact.path, str(artifact.path), artifact.path.as_posix(), artifact.path.name, artifact.path.parent) == (
        Path(walked), str(Path(walked)), Path(walked).as_posix(), Path(walked).name, Path(walked).parent)


def test_a_pre_key_from_the_helper_becomes_the_stat_key_it_was() -> None:
    from speechgate.statkey import StatKey

    key = StatKey(12, 1_700_000_000_000_000_000, 1_700_000_000_000_000_001, 42, 7)
    artifact = discover_ahead._artifact(discover_ahead._plain(("/t/a.srt", "a.srt", "srt", (key, "ab" * 32))), {})
    assert artifact == Artifact(Path("/t/a.srt"), "a.srt", "srt")
    assert artifact.known == (key, "ab" * 32)
    assert type(artifact.known[0]) is StatKey and artifact.known[0].inode == key.inode
