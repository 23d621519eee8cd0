"""Content-addressed scan cache: (file sha256, path, kind, settings digest) -> value-free findings.

In: artifacts, their stat data and ScanSettings. Out: cached ArtifactScans, or None on a miss.

Storage is one SQLite database (stdlib `sqlite3`: atomic writes, safe when two runs share
a folder) in the cache folder, with two tables:

- `stat`: sha256(absolute path) -> (size, mtime_ns, ctime_ns, inode, file sha256), the cheap
  pre-key that lets an unchanged file skip hashing. Entries whose mtime is within two
  seconds of the moment they were recorded are not kept ("racy" stat, as in git).
- `scan`: entry key -> JSON payload and its sha256 checksum. Findings are stored without
  values (only the masked preview and the keyed fingerprint that reports show anyway), and
  no file paths are stored: keys are hashes.

A payload that fails its checksum or its structure check is deleted and the file rescanned;
a database file that SQLite cannot open is removed and recreated. Runs with `show_values`
bypass the cache (values must never be written here).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from speechgate import __version__, privacy
from speechgate.engine import ArtifactScan, ScanSettings
from speechgate.model import Artifact, Category, Finding, Severity

SCHEMA_VERSION = 1
DB_NAME = f"scan-cache-v{SCHEMA_VERSION}.sqlite3"
RACY_SECONDS = 2.0
_FINDING_KEYS = frozenset(
    {"rule", "category", "severity", "confidence", "location", "message", "preview", "fingerprint",
     "occurrences", "suppressed_by"}
)


def default_dir() -> Path:
    """`$SPEECHGATE_CACHE_DIR`, else `$XDG_CACHE_HOME/speechgate`, else `~/.cache/speechgate`."""
    explicit = os.environ.get("SPEECHGATE_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "speechgate"


def settings_digest(settings: ScanSettings) -> str:
    """Hash of everything besides the file that decides a scan's result.

    Covers the settings, the rule files' bytes, the fingerprint key id, the tool version and
    the size/mtime of speechgate's own source files (so an edited reader invalidates entries).
    """
    h = hashlib.sha256()
    h.update(json.dumps(dataclasses.asdict(settings), sort_keys=True, default=str).encode())
    for name in settings.rule_files:
        h.update(b"\0rule\0" + name.encode() + b"\0")
        h.update(Path(name).read_bytes())
    h.update(b"\0key\0" + privacy.key_id().encode() + b"\0version\0" + __version__.encode())
    h.update(_code_digest().encode())
    return h.hexdigest()


def _code_digest() -> str:
    package = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.suffix in {".py", ".json", ".yaml"}:
            st = path.stat()
            h.update(f"{path.relative_to(package)}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


@dataclasses.dataclass(frozen=True)
class StatKey:
    """What `os.stat` says about a file; equal keys mean the file is taken as unchanged."""

    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int

    @classmethod
    def of(cls, path: Path) -> StatKey:
        return cls.from_stat(path.stat())

    @classmethod
    def from_stat(cls, st: os.stat_result) -> StatKey:
        return cls(st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


class ScanCache:
    """An open cache folder for one run and one set of settings. Use as a context manager."""

    def __init__(self, folder: Path, settings: ScanSettings) -> None:
        self.folder = folder
        self.digest = settings_digest(settings)
        self.hits = 0
        self.misses = 0
        self.discarded = 0
        self._db = _open(folder)
        self._pending_stat: list[tuple[Any, ...]] = []
        self._pending_scan: list[tuple[str, str, str]] = []

    def __enter__(self) -> ScanCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._db is None:
            return
        with contextlib.suppress(sqlite3.Error):
            self.flush()
        self._db.close()
        self._db = None

    # -- the stat pre-key --------------------------------------------------------------

    def known_sha256(self, path: Path, stat: StatKey) -> str | None:
        """The recorded sha256 of `path` if its stat data is unchanged, else None."""
        row = self._query("SELECT size, mtime_ns, ctime_ns, inode, sha256 FROM stat WHERE path = ?",
                          (_path_key(path),))
        if row is None or tuple(row[:4]) != (stat.size, stat.mtime_ns, stat.ctime_ns, stat.inode):
            return None
        return str(row[4])

    def remember_sha256(self, path: Path, stat: StatKey, sha256: str) -> None:
        if time.time_ns() - stat.mtime_ns < RACY_SECONDS * 1e9:
            return  # could still change within the same mtime tick
        self._pending_stat.append((_path_key(path), stat.size, stat.mtime_ns, stat.ctime_ns, stat.inode, sha256))

    # -- scan results ------------------------------------------------------------------

    def entry_key(self, artifact: Artifact, sha256: str) -> str:
        parts = (self.digest, artifact.display, artifact.kind, sha256)
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()

    def get(self, artifact: Artifact, sha256: str) -> ArtifactScan | None:
        """The cached scan, or None when absent or corrupt (a corrupt entry is deleted)."""
        key = self.entry_key(artifact, sha256)
        row = self._query("SELECT payload, checksum FROM scan WHERE key = ?", (key,))
        if row is None:
            self.misses += 1
            return None
        payload, checksum = row
        scan = None
        if isinstance(payload, str) and _checksum(key, payload) == checksum:
            scan = _decode(payload, artifact, sha256)
        if scan is None:
            self.discarded += 1
            self.misses += 1
            with contextlib.suppress(sqlite3.Error):
                self._db_or_raise().execute("DELETE FROM scan WHERE key = ?", (key,))
            return None
        self.hits += 1
        return scan

    def put(self, scan: ArtifactScan) -> None:
        if not scan.sha256 or any(f.value is not None for f in scan.findings):
            return  # unreadable file, or values present: never cache
        key = self.entry_key(scan.artifact, scan.sha256)
        payload = _encode(scan)
        self._pending_scan.append((key, payload, _checksum(key, payload)))
        if len(self._pending_scan) >= 2000:
            self.flush()

    def flush(self) -> None:
        db = self._db
        if db is None or not (self._pending_scan or self._pending_stat):
            return
        with db:
            db.executemany("INSERT OR REPLACE INTO stat VALUES (?, ?, ?, ?, ?, ?)", self._pending_stat)
            db.executemany("INSERT OR REPLACE INTO scan VALUES (?, ?, ?)", self._pending_scan)
        self._pending_stat.clear()
        self._pending_scan.clear()

    def _db_or_raise(self) -> sqlite3.Connection:
        if self._db is None:
            raise sqlite3.ProgrammingError("cache is closed")
        return self._db

    def _query(self, sql: str, args: tuple[Any, ...]) -> Any:
        try:
            return self._db_or_raise().execute(sql, args).fetchone()
        except sqlite3.Error:
            return None


def _open(folder: Path) -> sqlite3.Connection:
    """Open (or create) the database; a file SQLite rejects is removed and recreated once."""
    folder.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        os.chmod(folder, 0o700)
    path = folder / DB_NAME
    try:
        return _connect(path)
    except sqlite3.DatabaseError:
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(f"{path}{suffix}")
        return _connect(path)


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=30, isolation_level="DEFERRED")
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("CREATE TABLE IF NOT EXISTS stat (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER,"
                   " ctime_ns INTEGER, inode INTEGER, sha256 TEXT)")
        db.execute("CREATE TABLE IF NOT EXISTS scan (key TEXT PRIMARY KEY, payload TEXT, checksum TEXT)")
        db.execute("SELECT 1 FROM scan LIMIT 1").fetchone()
        db.commit()
    except sqlite3.DatabaseError:
        db.close()
        raise
    return db


def _path_key(path: Path) -> str:
    """Hash of the absolute path (not resolved: the stat data already tells files apart)."""
    return hashlib.sha256(os.fsencode(os.path.abspath(path))).hexdigest()


def _checksum(key: str, payload: str) -> str:
    return hashlib.sha256(f"{key}\0{payload}".encode()).hexdigest()


def _encode(scan: ArtifactScan) -> str:
    findings = [
        {"rule": f.rule, "category": f.category.value, "severity": f.severity.value,
         "confidence": f.confidence, "location": dict(f.location), "message": f.message,
         "preview": f.preview, "fingerprint": f.fingerprint, "occurrences": f.occurrences,
         "suppressed_by": f.suppressed_by}
        for f in scan.findings
    ]
    return json.dumps({"findings": findings, "notes": list(scan.notes)}, sort_keys=True, separators=(",", ":"))


def _decode(payload: str, artifact: Artifact, sha256: str) -> ArtifactScan | None:
    """Rebuild an ArtifactScan, or None if the payload does not have the expected shape."""
    try:
        doc = json.loads(payload)
        notes = tuple(_strings(doc["notes"]))
        findings = tuple(_finding(d) for d in doc["findings"])
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    return ArtifactScan(artifact, sha256, findings, notes)


def _strings(items: Any) -> Iterator[str]:
    if not isinstance(items, list):
        raise TypeError("not a list")
    for item in items:
        if not isinstance(item, str):
            raise TypeError("not a string")
        yield item


def _finding(d: Mapping[str, Any]) -> Finding:
    if set(d) != _FINDING_KEYS or not isinstance(d["location"], dict):
        raise KeyError("unexpected finding keys")
    confidence, occurrences = d["confidence"], d["occurrences"]
    if not isinstance(confidence, int | float) or not isinstance(occurrences, int):
        raise TypeError("bad number")
    for name in ("rule", "message", "preview", "fingerprint"):
        if not isinstance(d[name], str):
            raise TypeError(f"bad {name}")
    if d["suppressed_by"] is not None and not isinstance(d["suppressed_by"], str):
        raise TypeError("bad suppressed_by")
    return Finding(
        rule=d["rule"], category=Category(d["category"]), severity=Severity(d["severity"]),
        confidence=float(confidence), location=d["location"], message=d["message"],
        preview=d["preview"], fingerprint=d["fingerprint"], occurrences=occurrences,
        suppressed_by=d["suppressed_by"],
    )
