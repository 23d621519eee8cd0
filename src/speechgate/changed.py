"""Changed files only: which files git says changed, and the staged content of them.

In: a working folder inside a git repository and `--staged` or `--since REV`.
Out: the changed paths (relative to the working folder, POSIX, existing files only) and,
for `--staged`, artifacts that read the staged blobs instead of the working tree, so what
is checked is what will be committed even when a file is only partly staged.

Git is asked through its plumbing commands (`diff --name-only -z`, `merge-base`,
`checkout-index`): NUL-separated output survives any file name, and git's own rename
detection (`-M`) names the new path of a renamed file. Deleted files are never listed.
Unchanged files are not listed, so they are never opened.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from speechgate.errors import UsageError
from speechgate.kinds import SNIFF_BYTES, classify
from speechgate.model import Artifact

_DIFF = ("diff", "--name-only", "-z", "-M", "--diff-filter=ACMR", "--no-ext-diff", "--no-textconv")


@dataclass(frozen=True)
class Changed:
    """Changed files of one repository: its root and the paths relative to that root."""

    root: Path
    paths: tuple[str, ...]


def git(args: Sequence[str], cwd: Path, stdin: bytes | None = None) -> bytes:
    """Run git; a failure is a UsageError quoting git's first error line."""
    try:
        done = subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True, check=False)
    except OSError as exc:
        raise UsageError(f"cannot run git: {exc.strerror}") from None
    if done.returncode != 0:
        first = (done.stderr.decode("utf-8", "replace").strip().splitlines() or ["failed"])[0]
        raise UsageError(f"git {args[0]}: {first}")
    return done.stdout


def repository(cwd: Path) -> Path:
    """The top folder of the git work tree containing `cwd`."""
    return Path(git(["rev-parse", "--show-toplevel"], cwd).decode().strip())


def staged(cwd: Path) -> Changed:
    """Files added, copied, modified or renamed in the index compared with HEAD."""
    root = repository(cwd)
    has_head = subprocess.run(["git", "rev-parse", "--verify", "-q", "HEAD"], cwd=root,
                              capture_output=True, check=False).returncode == 0
    against = "HEAD" if has_head else git(["hash-object", "-t", "tree", "/dev/null"], root).decode().strip()
    return Changed(root, _names(git([*_DIFF, "--cached", against, "--"], root)))


def since(rev: str, cwd: Path) -> Changed:
    """Files that differ between REV's merge base with HEAD and the working tree.

    For an ancestor of HEAD the merge base is REV itself; for a branch tip (`origin/main`)
    it is where the branches forked, so changes made only on that branch are not listed.
    """
    if rev.startswith("-"):
        raise UsageError(f"--since: not a revision: {rev!r}")
    root = repository(cwd)
    try:
        git(["rev-parse", "--verify", "-q", f"{rev}^{{commit}}"], root)
    except UsageError:
        raise UsageError(f"--since: {rev!r} is not a commit in this repository (fetched?)") from None
    base = subprocess.run(["git", "merge-base", rev, "HEAD"], cwd=root, capture_output=True, check=False)
    start = base.stdout.decode().strip() if base.returncode == 0 and base.stdout.strip() else rev
    return Changed(root, _names(git([*_DIFF, start, "--"], root)))


def _names(output: bytes) -> tuple[str, ...]:
    return tuple(sorted({os.fsdecode(n) for n in output.split(b"\0") if n}))


def within(changed: Changed, paths: Sequence[str], cwd: Path) -> list[str]:
    """The changed files that exist and lie under one of `paths`, relative to `cwd`."""
    scopes = [Path(os.path.abspath(cwd / p)) for p in paths]
    out = []
    for rel in changed.paths:
        where = changed.root / rel
        if not where.is_file():
            continue
        if any(where == scope or scope in where.parents for scope in scopes):
            out.append(Path(os.path.relpath(where, cwd)).as_posix())
    return out


@contextmanager
def index_snapshot(changed: Changed, artifacts: Sequence[Artifact]) -> Iterator[list[Artifact]]:
    """The artifacts re-pointed at their staged content, copied out of the index.

    Blobs are written under a private temporary folder that is removed afterwards; each
    artifact keeps its display path (so fingerprints and baselines match) and is classified
    again from the staged bytes.
    """
    with tempfile.TemporaryDirectory(prefix="speechgate-index-") as tmp:
        snapshot = Path(tmp)
        wanted = {a.display: Path(os.path.relpath(os.path.abspath(a.path), changed.root)).as_posix()
                  for a in artifacts}
        if wanted:
            names = b"\0".join(os.fsencode(p) for p in wanted.values()) + b"\0"
            git(["checkout-index", "-z", "--stdin", f"--prefix={snapshot}/"], changed.root, stdin=names)
        yield [_repoint(a, snapshot / wanted[a.display]) for a in artifacts]


def _repoint(artifact: Artifact, blob: Path) -> Artifact:
    try:
        with blob.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError:
        return replace(artifact, path=blob, kind="unreadable", known=None)
    return replace(artifact, path=blob, kind=classify(Path(artifact.display), head), known=None)
