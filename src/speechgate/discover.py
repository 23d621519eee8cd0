"""Turn command-line paths into artifacts: walk folders, honour excludes, classify each file.

In: paths, include/exclude globs (gitignore syntax) and `.speechgateignore` files.
Out: `Artifact`s in a deterministic (sorted) order. Symlinks to folders are not followed.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

import pathspec

from speechgate.errors import UsageError
from speechgate.kinds import SNIFF_BYTES, classify
from speechgate.model import Artifact

IGNORE_FILE = ".speechgateignore"


def discover(
    paths: Sequence[str], include: Sequence[str] = (), exclude: Sequence[str] = ()
) -> list[Artifact]:
    """Expand `paths` into classified artifacts; a missing path is a UsageError."""
    excluded = pathspec.GitIgnoreSpec.from_lines(exclude)
    included = pathspec.GitIgnoreSpec.from_lines(include) if include else None
    seen: set[Path] = set()
    artifacts: list[Artifact] = []
    for given in paths:
        root = Path(given)
        if not root.exists():
            raise UsageError(f"{given}: no such file or folder")
        if root.is_dir():
            candidates = _walk(root, excluded, included)
        else:
            candidates = iter([(root, Path(given).as_posix())])
        for path, display in candidates:
            key = path.resolve()
            if key in seen:
                continue
            seen.add(key)
            artifacts.append(Artifact(path=path, display=display, kind=_kind(path)))
    return artifacts


def _walk(
    root: Path, excluded: pathspec.PathSpec, included: pathspec.PathSpec | None
) -> Iterator[tuple[Path, str]]:
    ignore_file = root / IGNORE_FILE
    local = (
        pathspec.GitIgnoreSpec.from_lines(ignore_file.read_text(encoding="utf-8").splitlines())
        if ignore_file.is_file()
        else None
    )
    found: list[tuple[str, Path]] = []
    for folder, dirs, files in os.walk(root):
        rel_folder = Path(folder).relative_to(root).as_posix()
        prefix = "" if rel_folder == "." else rel_folder + "/"
        dirs[:] = [
            d for d in dirs
            if not _skipped(prefix + d + "/", excluded, local)
        ]
        for name in files:
            rel = prefix + name
            if name == IGNORE_FILE or _skipped(rel, excluded, local):
                continue
            if included is not None and not included.match_file(rel):
                continue
            found.append((rel, Path(folder) / name))
    for rel, path in sorted(found):
        yield path, rel


def _skipped(rel: str, excluded: pathspec.PathSpec, local: pathspec.PathSpec | None) -> bool:
    return excluded.match_file(rel) or (local is not None and local.match_file(rel))


def _kind(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError:
        return "unreadable"
    return classify(path, head)
