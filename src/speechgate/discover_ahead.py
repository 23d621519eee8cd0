"""Discovery in a forked helper process, walking ahead while the parent judges what it found.

In: `make()`, which returns discovery's iterator of plain tuples (discover.iter_found; called
once here, before the fork, so that its up-front checks raise in the caller; again only to
recover, see below). Out: the artifacts in the same order, built in the parent from the
plain values that the helper sends through a pipe in batches.

Why: on a warm re-run every scan comes from the cache, and the parent is the bottleneck:
walking, stat-ing and classifying each file cost as much as looking its scan up and judging
it. The helper does the first while the parent does the second, on the other core.

Safety: the pipe bounds how far the helper runs ahead (memory stays flat). A helper that
fails raises its error in the parent (pickled, or as a RuntimeError naming its type); a
helper that dies without a word (killed, out of memory) is replaced by discovery in the
parent, which skips the artifacts already received: every file is still yielded once, in
order. Only on Linux: fork is unsafe where system libraries keep threads (macOS).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pickle
import signal
import sys
from collections.abc import Callable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from speechgate import pipes
from speechgate.discover import Found, artifact_of
from speechgate.model import Artifact
from speechgate.statkey import StatKey

BATCH = 512  # artifacts per message
PIPE_BYTES = 1 << 20  # the pipe's buffer (Linux's default limit): about 8,000 artifacts ahead
_END, _ERROR = "end", "error"  # the last message: the walk finished, or raised


def ahead(make: Callable[[], Iterator[Found]]) -> Iterator[Artifact]:
    """The artifacts of `make()`, discovered by a helper process where one can be forked."""
    artifacts = make()
    if sys.platform != "linux":
        return map(artifact_of, artifacts)
    try:
        read_end, write_end = os.pipe()
    except OSError:
        return artifacts
    with contextlib.suppress(OSError):  # room for a window of artifacts: the helper keeps walking
        fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return map(artifact_of, artifacts)
    if pid == 0:
        os.close(read_end)
        _serve(write_end, artifacts)  # never returns
    os.close(write_end)
    return _received(read_end, pid, make)


def _serve(pipe: int, artifacts: Iterator[Found]) -> None:
    """In the helper: send the artifacts in batches, then the end (or the error); os._exit."""
    code = 0
    try:
        with contextlib.suppress(BrokenPipeError):  # the parent stopped reading
            try:
                while batch := [_plain(a) for a in islice(artifacts, BATCH)]:
                    _send(pipe, batch)
                _send(pipe, _END)
            except Exception as exc:  # discovery's own error: the parent raises it
                _send(pipe, (_ERROR, _picklable(exc)))
    except BaseException:
        code = 1
    finally:
        os._exit(code)  # no atexit handlers, no flushing of the parent's inherited buffers


def _received(pipe: int, pid: int, make: Callable[[], Iterator[Found]]) -> Iterator[Artifact]:
    given = 0
    folders: dict[str, tuple[Path, str]] = {}  # the last folder's Path (and text): its files are joined to it
    try:
        while (message := _message(pipe)) is not None:
            if message == _END:
                return
            if isinstance(message, tuple) and message[0] == _ERROR:
                raise message[1]
            for plain in message:
                yield _artifact(plain, folders)
                given += 1
        # the helper died without a word: discover here, past what it already sent
        yield from map(artifact_of, islice(make(), given, None))
    finally:
        os.close(pipe)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)  # a helper still walking (the run stopped early)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)


def _plain(found: Found) -> tuple[Any, ...]:
    """What goes through the pipe: the stat pre-key as a plain tuple (a NamedTuple pickles by name)."""
    path, display, kind, known = found
    return path, display, kind, None if known is None else (tuple(known[0]), known[1])


def _artifact(plain: tuple[Any, ...], folders: dict[str, tuple[Path, str]]) -> Artifact:
    path, display, kind, known = plain
    if os.altsep is None:
        # speed: one split in C, not os.path.split's; its trimming of doubled separators (and
        # keeping a root's) is left to Path(folder), which normalises it the same way
        head, sep, name = path.rpartition(os.sep)
        folder = head + sep
    else:  # "/" also separates on Windows
        folder, name = os.path.split(path)
    parent = folders.get(folder)
    if parent is None:  # a new folder: files come folder by folder (Path(folder) normalises it)
        folders.clear()
        base = Path(folder)
        parent = folders[folder] = (base, _prefix(base))
    # positional arguments, and the pre-key's tuple taken as it is: about a microsecond a file
    # of a warm run's 20,000
    return Artifact(_child(*parent, name) if name else Path(path), display, kind,
                    None if known is None else (_new_tuple(StatKey, known[0]), known[1]))


_new_tuple = tuple.__new__  # StatKey from a plain tuple of its fields, without a Python-level __new__


def _child(folder: Path, prefix: str, name: str) -> Path:
    """`folder / name` for a file name (no separator), `prefix` being str(folder) ready to join.

    Why not just `/`: it parses the name and later formats the path anew, about 2 us a file
    of a warm run's 20,000. pathlib's own shortcut for a walk's entries (`_make_child_relpath`)
    with its text set skips both; it is private, so it is used only where a check at import
    found it making exactly the Path that `/` makes.
    """
    if not _SHORTCUT:
        return folder / name
    child = folder._make_child_relpath(name)  # type: ignore[attr-defined]
    child._str = prefix + name
    return child


def _prefix(folder: Path) -> str:
    """str(folder) ready for a name to be appended: "" for ".", else ending in one separator."""
    text = str(folder)
    return "" if text == "." else text if text.endswith(os.sep) else text + os.sep


def _shortcut_works() -> bool:
    try:
        for folder, name in ((Path("/a b/c"), "d.srt"), (Path("."), "e.wav"), (Path("/"), "f")):
            made = folder._make_child_relpath(name)  # type: ignore[attr-defined]
            made._str = _prefix(folder) + name
            public = folder / name
            if (made, str(made), made.as_posix(), made.parent, made.name, hash(made)) != (
                    public, str(public), public.as_posix(), public.parent, public.name, hash(public)):
                return False
        return True
    except (AttributeError, TypeError):
        return False


_SHORTCUT = _shortcut_works()


def _picklable(exc: Exception) -> Exception:
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return RuntimeError(f"discovery failed ({type(exc).__name__})")
    return exc


def _send(pipe: int, message: Any) -> None:
    pipes.send(pipe, pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL))


def _message(pipe: int) -> Any:
    """The next message, or None if the helper ended without sending one."""
    data = pipes.receive(pipe)
    return None if data is None else pickle.loads(data)
