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

import contextlib
import os
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pathspec

from speechgate.errors import UsageError
from speechgate.kinds import SNIFF_BYTES, classify
from speechgate.model import Artifact, no_cycle_collection

IGNORE_FILE = ".speechgateignore"
OUTSIDE_LINK = "symlink_outside"  # kind of a symlink leaving the scanned folder: reported, never read


# a known kind for (absolute path, stat), or (kind, what the runner may reuse: Artifact.known), or None
KindOf = Callable[[str, os.stat_result], "str | tuple[str, Any] | None"]


def discover(
    paths: Sequence[str], include: Sequence[str] = (), exclude: Sequence[str] = (),
    ignore_dirs: Sequence[Path] = (), known_kind: KindOf | None = None,
) -> list[Artifact]:
    """Expand `paths` into classified artifacts; a missing path is a UsageError.

    `known_kind` (the scan cache's record of unchanged files) spares reading the first bytes
    of files whose kind is already known.
    """
    with no_cycle_collection():  # one artifact per file, no cycles
        return list(iter_discover(paths, include, exclude, ignore_dirs, known_kind))


def iter_discover(
    paths: Sequence[str], include: Sequence[str] = (), exclude: Sequence[str] = (),
    ignore_dirs: Sequence[Path] = (), known_kind: KindOf | None = None,
) -> Iterator[Artifact]:
    """`discover`, one artifact at a time in the same order (a run can scan while it walks).

    Every given path is checked before the first artifact is yielded, so a missing one is a
    UsageError before anything is scanned.
    """
    for given in paths:
        if not Path(given).exists():
            raise UsageError(f"{given}: no such file or folder")
    return _discover(paths, include, exclude, ignore_dirs, known_kind)


def _discover(paths: Sequence[str], include: Sequence[str], exclude: Sequence[str], ignore_dirs: Sequence[Path],
              known_kind: KindOf | None) -> Iterator[Artifact]:
    excluded = pathspec.GitIgnoreSpec.from_lines(exclude)
    included = pathspec.GitIgnoreSpec.from_lines(include) if include else None
    anchored = IgnoreFiles(ignore_dirs)
    seen: set[str] = set()  # real paths: a file named twice (or linked to) is scanned once
    for given in paths:
        root = Path(given)
        if not root.exists():
            raise UsageError(f"{given}: no such file or folder")
        if root.is_dir():
            top = os.path.realpath(root)  # once per folder: resolving every file was most of discovery
            for rel, path, absolute, linked in _walk(root, excluded, included, anchored.with_folder(root)):
                # below a resolved folder, only a symlink's own real path differs from folder + rel
                real = os.path.realpath(path) if linked else os.path.join(top, rel)
                if real not in seen:
                    seen.add(real)
                    if linked and not _within(real, top):
                        yield Artifact(path=Path(path), display=rel, kind=OUTSIDE_LINK)
                    else:
                        kind, known = _kind(path, absolute, known_kind)
                        yield Artifact(path=Path(path), display=rel, kind=kind, known=known)
        elif not _explicit_skipped(root, excluded, included, anchored):
            real = os.path.realpath(root)
            if real not in seen:
                seen.add(real)
                kind, known = _kind(given, os.path.abspath(given), known_kind)
                yield Artifact(path=root, display=root.as_posix(), kind=kind, known=known)


def without_files(artifacts: Iterable[Artifact], files: Sequence[Path]) -> list[Artifact]:
    """`artifacts` minus those that are (resolve to) one of `files`."""
    return list(iter_without_files(artifacts, files))


def iter_without_files(artifacts: Iterable[Artifact], files: Sequence[Path]) -> Iterator[Artifact]:
    """`without_files`, one artifact at a time.

    Only an artifact on the same device and inode as one of `files` can resolve to it, so
    just those are resolved (resolving every artifact took longer than discovering it).
    """
    ids = {}
    for f in files:
        with contextlib.suppress(OSError):
            st = os.stat(f)
            ids[st.st_dev, st.st_ino] = os.path.realpath(f)
    for artifact in artifacts:
        if not ids:
            yield artifact
            continue
        try:
            st = os.stat(artifact.path)
            real = ids.get((st.st_dev, st.st_ino))
        except OSError:
            real = None
        if real is None or os.path.realpath(artifact.path) != real:
            yield artifact


class IgnoreFiles:
    """The `.speechgateignore` files of some folders, each matched below its own folder."""

    def __init__(self, folders: Sequence[Path] = ()) -> None:
        self._specs: list[tuple[str, pathspec.PathSpec]] = []
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
        self._specs.append((str(anchor), pathspec.GitIgnoreSpec.from_lines(lines)))

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
        return bool(self._specs) and self._ignored(os.path.abspath(location), is_dir)

    def ignored_in(self, folder: str, name: str, is_dir: bool = False) -> bool:
        """`ignored` for `name` in the absolute, normalised `folder` (no per-file path objects)."""
        return bool(self._specs) and self._ignored(os.path.join(folder, name), is_dir)

    def _ignored(self, where: str, is_dir: bool) -> bool:
        for anchor, spec in self._specs:
            prefix = anchor if anchor.endswith(os.sep) else anchor + os.sep
            if not where.startswith(prefix) or where == anchor:
                continue
            rel = where[len(prefix):].replace(os.sep, "/")
            if spec.match_file(rel + "/" if is_dir else rel):
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
) -> list[tuple[str, str, str, bool]]:
    """(path relative to root, path, absolute path, is a symlink) of the files below `root`,
    sorted by relative path.

    Like `os.walk` (symlinked folders are not entered, unreadable folders are skipped), but
    with `os.scandir` entries, whose file type comes with the listing instead of a stat call.
    """
    found: list[tuple[str, str, str, bool]] = []
    stack: list[tuple[str, str, IgnoreFiles]] = [("", os.fspath(root), anchored)]
    while stack:
        prefix, folder, ignores = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError:
            continue
        if any(entry.name == IGNORE_FILE for entry in entries):
            ignores = ignores.with_folder(Path(folder))  # nested ignore files, as in git
        absolute = os.path.abspath(folder)
        joint = absolute if absolute.endswith(os.sep) else absolute + os.sep
        for entry in entries:
            name = entry.name
            rel = prefix + name
            if _is_dir(entry):
                if not entry.is_symlink() and not excluded.match_file(rel + "/") \
                        and not ignores.ignored_in(absolute, name, is_dir=True):
                    stack.append((rel + "/", entry.path, ignores))
                continue
            if name == IGNORE_FILE or excluded.match_file(rel) or ignores.ignored_in(absolute, name):
                continue
            if included is not None and not included.match_file(rel):
                continue
            found.append((rel, entry.path, joint + name, entry.is_symlink()))
    found.sort(key=lambda item: item[0])
    return found


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()  # follows symlinks, as os.walk does
    except OSError:
        return False


def _within(real: str, top: str) -> bool:
    """Whether the real path `real` is the folder `top` or below it."""
    return real == top or real.startswith(top if top.endswith(os.sep) else top + os.sep)


def _kind(path: str, absolute: str, known_kind: KindOf | None) -> tuple[str, Any]:
    """The file's kind, and what `known_kind` said the runner may reuse (or None)."""
    try:
        st = os.stat(path)
    except OSError:
        st = None  # missing or a broken link: opening it fails below
    if st is not None and not stat.S_ISREG(st.st_mode):
        return "special", None  # a FIFO, socket or device: opening or reading it could block forever
    if st is not None and known_kind is not None:
        found = known_kind(absolute, st)
        if isinstance(found, tuple):
            return found
        if found is not None:
            return found, None
    try:
        with open(path, "rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError:
        return "unreadable", None
    return classify(Path(path), head), None
