"""Turn command-line paths into artifacts: walk folders, honour excludes, classify each file.

In: paths, include/exclude globs (gitignore syntax) and `.speechgateignore` files.
Out: `Artifact`s in a deterministic (sorted) order. Symlinks to folders are not followed; a
symlinked file whose target is outside the scanned folder gets kind `symlink_outside`
(reported as unscannable, never opened).

`.speechgateignore` files (gitignore syntax) are read from the scanned folders and their
subfolders, from the folders between a named file and its repository root, and from the
`ignore_dirs` the caller names (the repository root and the config file's folder); each
applies to the files below its folder, matched on the path relative to that folder.
Explicitly named files (pre-commit passes file lists) go through the same ignore files and
include/exclude globs as files found by walking, so `check .` and a hook agree.
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
OUTSIDE_LINK = "symlink_outside"  # kind of a symlink leaving the scanned folder: reported, never read


def discover(
    paths: Sequence[str], include: Sequence[str] = (), exclude: Sequence[str] = (),
    ignore_dirs: Sequence[Path] = (),
) -> list[Artifact]:
    """Expand `paths` into classified artifacts; a missing path is a UsageError."""
    excluded = pathspec.GitIgnoreSpec.from_lines(exclude)
    included = pathspec.GitIgnoreSpec.from_lines(include) if include else None
    anchored = IgnoreFiles(ignore_dirs)
    seen: set[Path] = set()
    artifacts: list[Artifact] = []
    for given in paths:
        root = Path(given)
        if not root.exists():
            raise UsageError(f"{given}: no such file or folder")
        if root.is_dir():
            candidates = _walk(root, excluded, included, anchored.with_folder(root))
        elif _explicit_skipped(root, excluded, included, anchored):
            continue
        else:
            candidates = iter([(root, Path(given).as_posix())])
        for path, display in candidates:
            key = path.resolve()
            if key in seen:
                continue
            seen.add(key)
            kind = OUTSIDE_LINK if root.is_dir() and _links_outside(path, root) else _kind(path)
            artifacts.append(Artifact(path=path, display=display, kind=kind))
    return artifacts


class IgnoreFiles:
    """The `.speechgateignore` files of some folders, each matched below its own folder."""

    def __init__(self, folders: Sequence[Path] = ()) -> None:
        self._specs: list[tuple[Path, pathspec.PathSpec]] = []
        self._seen: set[Path] = set()
        for folder in folders:
            self._add(folder)

    def _add(self, folder: Path) -> None:
        anchor = Path(os.path.abspath(folder))
        if anchor in self._seen:
            return
        self._seen.add(anchor)
        ignore_file = anchor / IGNORE_FILE
        if not ignore_file.is_file():
            return
        try:
            lines = ignore_file.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"{ignore_file}: cannot read ignore file ({type(exc).__name__})") from None
        self._specs.append((anchor, pathspec.GitIgnoreSpec.from_lines(lines)))

    def with_folder(self, folder: Path) -> IgnoreFiles:
        """A copy that also honours `folder`'s own ignore file."""
        copy = IgnoreFiles()
        copy._specs = list(self._specs)
        copy._seen = set(self._seen)
        copy._add(folder)
        return copy

    def add_between(self, path: Path, top: Path | None) -> None:
        """Also honour the ignore files of the folders from `path`'s up to `top` (nested files)."""
        if top is None:
            return
        top = Path(os.path.abspath(top))
        folder = Path(os.path.abspath(path)).parent
        while folder != top and top in folder.parents:
            self._add(folder)
            folder = folder.parent

    def ignored(self, location: Path, is_dir: bool = False) -> bool:
        """Whether any ignore file above `location` matches it."""
        where = Path(os.path.abspath(location))
        for anchor, spec in self._specs:
            try:
                rel = where.relative_to(anchor).as_posix()
            except ValueError:
                continue
            if rel != "." and spec.match_file(rel + "/" if is_dir else rel):
                return True
        return False


def repo_root(start: Path) -> Path | None:
    """The nearest folder at or above `start` holding `.git`, or None."""
    folder = Path(os.path.abspath(start))
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def _explicit_skipped(path: Path, excluded: pathspec.PathSpec, included: pathspec.PathSpec | None,
                      anchored: IgnoreFiles) -> bool:
    """Filters for a named file: ignore files (the anchors' and those of the folders between the
    file and its repository root), and the globs on its path relative to the cwd."""
    anchored.add_between(path, repo_root(path.parent))
    if path.name == IGNORE_FILE or anchored.ignored(path):
        return True
    rel = os.path.relpath(os.path.abspath(path))
    if rel.startswith(".."):
        return False
    rel = Path(rel).as_posix()
    return excluded.match_file(rel) or (included is not None and not included.match_file(rel))


def _walk(
    root: Path, excluded: pathspec.PathSpec, included: pathspec.PathSpec | None, anchored: IgnoreFiles
) -> Iterator[tuple[Path, str]]:
    found: list[tuple[str, Path]] = []
    for folder, dirs, files in os.walk(root):
        if IGNORE_FILE in files:
            anchored = anchored.with_folder(Path(folder))  # nested ignore files, as in git
        rel_folder = Path(folder).relative_to(root).as_posix()
        prefix = "" if rel_folder == "." else rel_folder + "/"
        dirs[:] = [
            d for d in dirs
            if not excluded.match_file(prefix + d + "/") and not anchored.ignored(Path(folder) / d, is_dir=True)
        ]
        for name in files:
            rel = prefix + name
            if name == IGNORE_FILE or excluded.match_file(rel) or anchored.ignored(Path(folder) / name):
                continue
            if included is not None and not included.match_file(rel):
                continue
            found.append((rel, Path(folder) / name))
    for rel, path in sorted(found):
        yield path, rel


def _links_outside(path: Path, root: Path) -> bool:
    """A symlink (or a file under a linked folder) whose target is outside the scanned folder."""
    if not path.is_symlink():
        return False
    target, top = path.resolve(), root.resolve()
    return target != top and top not in target.parents


def _kind(path: Path) -> str:
    if path.exists() and not path.is_file():
        return "special"  # a FIFO, socket or device: opening or reading it could block forever
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError:
        return "unreadable"
    return classify(path, head)
