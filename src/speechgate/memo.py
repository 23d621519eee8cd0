"""Start-up memo: data derived from speechgate's own inputs, kept between runs.

In: a name, a key (a digest of everything the value is derived from) and a value built
only from marshal-able types. Out: the value stored under that name and key, or None.
Used for the validated bundled rule files and the census name gazetteer, which cost more
to rebuild on every start (jsonschema validation, parsing 90,000 census lines) than to
read back. Nothing from scanned artifacts is ever stored here.

Files live in `<cache folder>/memo/` (the scan cache's folder, see cache.default_dir). Each
holds a sha256 of its body; a file that fails the check, has another key or cannot be
read is ignored and rewritten, never trusted. Writes go through a temporary file and an
atomic rename, so parallel runs never see half a file. When the folder is not writable
the memo is simply skipped. Written here with marshal rather than pickle: marshal
handles exactly the plain types stored (dicts, lists, sets, strings, numbers) and, unlike
pickle, never looks up classes or calls anything while loading.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
from pathlib import Path
from typing import Any

FORMAT = b"speechgate-memo-1\n"


_CHOSEN: Path | None = None  # set by `check --cache-dir`


def use_folder(cache_dir: Path | None) -> None:
    """Keep the memo in `cache_dir`/memo, next to the scan cache a run was given (None: default)."""
    global _CHOSEN
    _CHOSEN = cache_dir


def folder() -> Path:
    """`memo/` in the scan cache's folder: the one given to `check --cache-dir`, else
    `$SPEECHGATE_CACHE_DIR`, else `$XDG_CACHE_HOME/speechgate`, else `~/.cache/speechgate`
    (as cache.default_dir; not imported from there, which would load SQLite and the engine
    for a start-up helper)."""
    if _CHOSEN is not None:
        return _CHOSEN / "memo"
    explicit = os.environ.get("SPEECHGATE_CACHE_DIR")
    if explicit:
        return Path(explicit) / "memo"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "speechgate" / "memo"


def load(name: str, key: str) -> Any | None:
    """The value stored as `name` under `key`, or None (missing, stale or corrupt)."""
    try:
        blob = (folder() / f"{name}.marshal").read_bytes()
    except OSError:
        return None
    head, _, rest = blob.partition(b"\n")
    digest, _, body = rest.partition(b"\n")
    if head + b"\n" != FORMAT or hashlib.sha256(body).hexdigest().encode() != digest:
        return None
    try:
        stored_key, value = marshal.loads(body)
    except (EOFError, ValueError, TypeError):
        return None
    return value if stored_key == key else None


def store(name: str, key: str, value: Any) -> None:
    """Store `value` as `name` under `key`; silently does nothing when that is not possible."""
    try:
        body = marshal.dumps((key, value))
    except ValueError:  # a type marshal cannot store: keep computing it each time
        return
    blob = FORMAT + hashlib.sha256(body).hexdigest().encode() + b"\n" + body
    try:
        target = folder()
        target.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=target)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(blob)
            os.replace(tmp, target / f"{name}.marshal")
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        return


def digest(*parts: bytes | str) -> str:
    """sha256 over length-prefixed parts: the key of a derived value."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()
