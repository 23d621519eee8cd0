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
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

import pathspec

from speechgate.errors import UsageError
from speechgate.kinds import SNIFF_BYTES, classify
from speechgate.model import Artifact, no_cycle_collection
from speechgate.rawio import read_head

IGNORE_FILE = ".speechgateignore"
OUTSIDE_LINK = "symlink_outside"  # kind of a symlink leaving the scanned folder: reported, never read
Found = tuple[str, str, str, Any]  # an Artifact's fields, its path as given or walked (not normalised)


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
    return map(artifact_of, iter_found(paths, include, exclude, ignore_dirs, known_kind))


def iter_found(
    paths: Sequence[str], include: Sequence[str] = (), exclude: Sequence[str] = (),
    ignore_dirs: Sequence[Path] = (), known_kind: KindOf | None = None,
) -> Iterator[Found]:
    """`iter_discover` as plain tuples (path, display, kind, known), for a discovery helper
    that sends them to its parent: no Path is built only to be turned back into text."""
    for given in paths:
        if not Path(given).exists():
            raise UsageError(f"{given}: no such file or folder")
    return _discover(paths, include, exclude, ignore_dirs, known_kind)


def artifact_of(found: Found) -> Artifact:
    path, display, kind, known = found
    return Artifact(path=Path(path), display=display, kind=kind, known=known)


def _discover(paths: Sequence[str], include: Sequence[str], exclude: Sequence[str], ignore_dirs: Sequence[Path],
              known_kind: KindOf | None) -> Iterator[Found]:
    """The artifacts of every given path in turn; a file named twice (or linked to) once.

    Which real paths were yielded is remembered only where a later path could meet them again:
    every symlink's target, every named file, and every file below a folder that overlaps
    another given path. A symlink to a file an earlier walk went past is recognised by asking
    whether that walk yielded it (`_walked`), so the files of ordinary trees cost no memory.
    """
    excluded = pathspec.GitIgnoreSpec.from_lines(exclude)
    included = pathspec.GitIgnoreSpec.from_lines(include) if include else None
    walk_excluded = _FoldersOnly(excluded) if folders_only(exclude) else excluded  # see _FoldersOnly
    anchored = IgnoreFiles(ignore_dirs)
    seen: set[str] = set()  # real paths yielded that a later candidate may meet again
    walked: list[tuple[Path, str, IgnoreFiles]] = []  # folders walked without recording their files
    reals = [os.path.realpath(given) for given in paths]
    overlapping = _overlapping(reals)
    for number, given in enumerate(paths):
        root = Path(given)
        if not root.exists():
            raise UsageError(f"{given}: no such file or folder")
        if root.is_dir():
            top = reals[number]  # once per folder: resolving every file was most of discovery
            record = top in overlapping
            ignores = anchored.with_folder(root)
            for rel, path, absolute, linked in _walk(root, walk_excluded, included, ignores):
                if linked:
                    real = os.path.realpath(path)
                    if real in seen or _walked_before(real, walked, top, root, rel, ignores, walk_excluded, included):
                        continue
                    seen.add(real)
                    if not _within(real, top):
                        yield path, rel, OUTSIDE_LINK, None
                        continue
                elif record or seen:  # (most walks: neither, and no path to join)
                    # below a resolved folder, only a symlink's own real path differs from folder + rel
                    real = os.path.join(top, rel)
                    if real in seen:
                        continue
                    if record:
                        seen.add(real)
                kind, known = _kind(path, absolute, known_kind)
                yield path, rel, kind, known
            if not record:
                walked.append((root, top, ignores))
        elif not _explicit_skipped(root, excluded, included, anchored):
            real = reals[number]
            if real not in seen:
                seen.add(real)
                kind, known = _kind(given, os.path.abspath(given), known_kind)
                yield os.fspath(root), root.as_posix(), kind, known


def folders_only(lines: Sequence[str]) -> bool:
    """Whether every gitignore-style pattern in `lines` names folders only ("node_modules/"):
    positive, ending in "/", with no escape (blank lines and comments aside)."""
    return all(not line or line.startswith("#")
               or (len(line) > 1 and line.endswith("/") and not line.startswith("!") and "\\" not in line)
               for line in lines)


class Matcher(Protocol):
    """What a walk asks of an exclude spec: pathspec.PathSpec, or _FoldersOnly."""

    def match_file(self, file: str) -> bool: ...


class _FoldersOnly:
    """A spec of folder-only patterns (`folders_only`) as a walk asks it: about folders (a
    path ending in "/") as the spec answers, about files never.

    Why: such a pattern matches a file only through one of its folders, which the walk asked
    about first and did not enter if it matched; asking again for each file (pathspec's
    match_file) was a sixth of discovery's time on a warm re-run. A file named on the command
    line has no folders asked first: it is matched with the spec itself (_explicit_skipped).
    """

    def __init__(self, spec: pathspec.PathSpec) -> None:
        self._spec = spec

    def match_file(self, path: str) -> bool:
        return path.endswith("/") and self._spec.match_file(path)


def _overlapping(reals: Sequence[str]) -> set[str]:
    """The real paths among `reals` that another one equals, lies below or lies above.

    Each path's ancestors are looked up in a set instead of comparing every pair (pre-commit
    may pass thousands of paths).
    """
    counts = Counter(reals)
    found = {real for real, n in counts.items() if n > 1}
    for real in counts:
        child, parent = real, os.path.dirname(real)
        while parent != child:
            if parent in counts:
                found.update((real, parent))
            child, parent = parent, os.path.dirname(parent)
    return found


def _walked_before(real: str, walked: Sequence[tuple[Path, str, IgnoreFiles]], top: str, root: Path, rel: str,
                   ignores: IgnoreFiles, excluded: Matcher, included: pathspec.PathSpec | None) -> bool:
    """Whether a walk that records nothing already yielded the file at `real`: an earlier
    folder's, or this one (`root`, resolved `top`) before reaching `rel`."""
    for earlier_root, earlier_top, earlier_ignores in walked:
        if _within(real, earlier_top) and real != earlier_top:
            return _walked(earlier_root, real[len(earlier_top):].lstrip(os.sep), earlier_ignores, excluded, included)
    if _within(real, top) and real != top:
        target = real[len(top):].lstrip(os.sep).replace(os.sep, "/")
        return target < rel and _walked(root, target, ignores, excluded, included)
    return False


def _walked(root: Path, rel: str, ignores: IgnoreFiles, excluded: Matcher,
            included: pathspec.PathSpec | None) -> bool:
    """Whether `_walk(root, ...)` yields the real file at `root`/`rel` (a path without links).

    The same tests as `_folder`, along the one path; an unlistable folder on the way answers
    False, so a doubt means the file is scanned twice, never that it is skipped unscanned.
    """
    *folders, name = rel.replace(os.sep, "/").split("/")
    folder, prefix = os.fspath(root), ""
    for part in [None, *folders]:
        if part is not None:
            if _dir_skipped(prefix + part, os.path.abspath(folder), part, excluded, ignores):
                return False
            folder, prefix = os.path.join(folder, part), prefix + part + "/"
        if not os.access(folder, os.R_OK | os.X_OK):
            return False
        if os.path.isfile(os.path.join(folder, IGNORE_FILE)):
            ignores = ignores.with_folder(Path(folder))
    path = os.path.join(folder, name)
    if not os.path.lexists(path) or os.path.isdir(path):
        return False  # a link to a missing file: nothing walked it (it is reported as unreadable)
    return not _file_skipped(prefix + name, os.path.abspath(folder), name, excluded, included, ignores)


def _dir_skipped(rel: str, parent: str, name: str, excluded: Matcher, ignores: IgnoreFiles) -> bool:
    """Whether the walk leaves out the folder `rel` (named `name`, in the absolute folder `parent`)."""
    return excluded.match_file(rel + "/") or ignores.ignored_in(parent, name, is_dir=True)


def _file_skipped(rel: str, parent: str, name: str, excluded: Matcher, included: pathspec.PathSpec | None,
                  ignores: IgnoreFiles) -> bool:
    """Whether the walk leaves out the file `rel` (named `name`, in the absolute folder `parent`)."""
    return (name == IGNORE_FILE or excluded.match_file(rel) or ignores.ignored_in(parent, name)
            or (included is not None and not included.match_file(rel)))


def without_files(artifacts: Iterable[Artifact], files: Sequence[Path]) -> list[Artifact]:
    """`artifacts` minus those that are (resolve to) one of `files`."""
    return list(iter_without_files(artifacts, files))


def iter_without_files(artifacts: Iterable[Artifact], files: Sequence[Path]) -> Iterator[Artifact]:
    """`without_files`, one artifact at a time.

    Only an artifact on the same device and inode as one of `files` can resolve to it, so
    just those are resolved (resolving every artifact took longer than discovering it). An
    artifact the cache knows unchanged brings its device and inode from discovery's stat.
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
        if artifact.known is not None:  # discovery's stat, as the cache recorded it
            real = ids.get((artifact.known[0].device, artifact.known[0].inode))
        else:
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
    root: Path, excluded: Matcher, included: pathspec.PathSpec | None, anchored: IgnoreFiles
) -> Iterator[tuple[str, str, str, bool]]:
    """(path relative to root, path, absolute path, is a symlink) of the files below `root`,
    in order of relative path, one at a time.

    Like `os.walk` (symlinked folders are not entered, unreadable folders are skipped), but
    with `os.scandir` entries, whose file type comes with the listing instead of a stat call.
    Each folder's entries are sorted by name, a subfolder's name taken with its trailing "/",
    and subfolders are walked where they sort: that is exactly the order of the whole
    relative paths (a name holds no "/", so a folder's key is never a prefix of another's),
    while only the folders on the current path are held, not the whole tree's list.
    """
    stack: list[Iterator[tuple[str, str, str, bool]]] = []
    stack.append(_folder("", os.fspath(root), excluded, included, anchored, stack))
    while stack:
        item = next(stack[-1], None)
        if item is None:
            stack.pop()
        elif item[1]:  # a file
            yield item
        # else a subfolder: _folder pushed its walk on the stack


def _folder(prefix: str, folder: str, excluded: Matcher, included: pathspec.PathSpec | None,
            ignores: IgnoreFiles, stack: list[Iterator[tuple[str, str, str, bool]]]
            ) -> Iterator[tuple[str, str, str, bool]]:
    """One folder of `_walk`: its files, and for each subfolder (where it sorts) a marker
    tuple with an empty path, after pushing the subfolder's own walk onto `stack`."""
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)
    except OSError:
        return
    if any(entry.name == IGNORE_FILE for entry in entries):
        ignores = ignores.with_folder(Path(folder))  # nested ignore files, as in git
    absolute = os.path.abspath(folder)
    joint = absolute if absolute.endswith(os.sep) else absolute + os.sep
    keyed = [(entry.name + "/" if _is_dir(entry) else entry.name, entry) for entry in entries]
    del entries
    keyed.sort(key=lambda item: item[0])
    for key, entry in keyed:
        name = entry.name
        rel = prefix + name
        if key[-1] == "/":  # a folder (or a link to one, which is not entered)
            if not entry.is_symlink() and not _dir_skipped(rel, absolute, name, excluded, ignores):
                stack.append(_folder(rel + "/", entry.path, excluded, included, ignores, stack))
                yield rel, "", "", False
            continue
        if not _file_skipped(rel, absolute, name, excluded, included, ignores):
            yield rel, entry.path, joint + name, entry.is_symlink()


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
        head = read_head(path, SNIFF_BYTES)
    except OSError:
        return "unreadable", None
    return classify(path, head), None
