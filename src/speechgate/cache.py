"""Content-addressed scan cache: (file sha256, path, kind, settings digest) -> value-free findings.

In: artifacts, their stat data and ScanSettings. Out: cached PackedScans, or None on a miss.

Storage is one SQLite database (stdlib `sqlite3`: atomic writes, safe when two runs share
a folder) in the cache folder, with four tables:

- `stat`: sha256(absolute path) -> (code digest, size, mtime_ns, ctime_ns, inode, device,
  file sha256, kind), the cheap pre-key that lets an unchanged file skip sniffing its kind
  and hashing its content. This is sound for the same reason git's index is: every write
  to a file moves its ctime (which user space cannot set back) and normally its mtime,
  replacing it moves its inode, and another file system moves its device, so equal stat
  data means equal content, except for a write within the timestamp tick of the moment the
  stat was taken; entries whose mtime is within two seconds of that moment are therefore
  not kept ("racy" stat, as in git). The kind depends on the content, the name (the key is
  the path) and speechgate's code, hence the code digest. Rules and config do not change
  a file's hash or kind; they are in every `scan` key instead.
- `scan`: entry key (sha256 of the settings digest, display path, kind and file sha256; the
  row id is the generation and 48 bits of it) -> its generation, the packed scan's JSON
  payload (packed.py), its Facts (drawn from the payload's rows when it was packed), its
  plain lines for the terminal report (report/text_body.py, rendered when it was packed)
  and a keyed checksum of the key, payload, facts and lines.
  Findings are stored without values (only the masked preview and the keyed fingerprint
  that reports show anyway), and no file paths are stored: keys are hashes.
- `scan_group`: row id (the generation and 48 bits of a hash of the settings digest and
  the display path of a group's first file; see cache_groups.py for the groups, runs of
  consecutive files) -> its generation, the packed scans of the group's files in order
  (each file's facts, payload and lines, as in `scan`) and a keyed checksum of the group key
  (sha256 of the settings digest and every file's display path, kind and sha256) and that
  body. A group whose files changed replaces its row, so the table holds one row per group
  of the trees a generation has seen.
  A warm run of an unchanged tree reads, checks and splits one row per group instead of
  one per file; a group with a changed file misses, and its other files are read from
  `scan` as before.
- `generation`: one row per settings digest (and the code digest it ran with) and when it
  was last used (nanoseconds since the epoch). Another version of speechgate, another rule
  file or another config makes a new generation whose entries never match the old ones;
  when one is made, only the KEEP_GENERATIONS most recently used are kept, with their
  entries and the pre-keys of their code, so the folder does not grow with every upgrade
  or config change.

Checks are keyed: BLAKE2b with a key derived from the fingerprint key (privacy.py), which
lives outside the cache folder (the user's config folder, or a CI secret). A corrupt entry
or pre-key fails its check; so does one forged by whoever can write the folder but not read
the key, such as a poisoned CI cache making a risky file look clean. So a hit is checked
(its checksum, and the type of every stored fact) but not decoded: whatever carries a valid
checksum was written by pack() in a run of this code with this key, and the report decodes
it when it writes it.

A warm run reads the pre-keys of the current code in one query (a discovery helper looks
its first files up one by one first, see KnownFiles.queried_first) and the payloads in
batches, instead of two queries per file. An entry that fails a check is deleted and the file
rescanned; a database file that SQLite cannot open is removed and recreated. Runs with
`show_values` bypass the cache (values must never be written here).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import json
import os
import sqlite3
import stat as stat_mode
import struct
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from speechgate import __version__, packed, privacy
from speechgate.model import Artifact
from speechgate.packed import PackedScan
from speechgate.scan_io import ScanSettings
from speechgate.statkey import StatKey

SCHEMA_VERSION = 9
DB_NAME = f"scan-cache-v{SCHEMA_VERSION}.sqlite3"
RACY_SECONDS = 2.0
FETCH_BATCH = 500  # keys per `IN (...)` query: well under SQLite's bound on query parameters
KEEP_GENERATIONS = 3  # settings digests whose entries are kept (the most recently used)
# the first 64 MB of the database are read through a memory map: a warm run's 20,000 rows
# without a read() call for each page (about 4.6 -> 2.4 us a row); a bounded cost in file
# pages, which the system can reclaim, not in this process's heap
MMAP_BYTES = 64 << 20
GROUP_FLUSH_BYTES = 4 << 20  # group bodies waiting to be written before they are flushed
# separates a group's files, and each file's facts, payload and lines: all three are ASCII
# with no control character but newlines (JSON with ensure_ascii, packed.py; lines as
# `_stored_lines` keeps them)
_FILE_SEP, _PART_SEP = "\x1e", "\x1f"
USED_EVERY = 3600  # seconds: a generation's last use is written at most this often (not on every run)


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
    h.update(code_digest().encode())
    return h.hexdigest()


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """Hash of the version and the names, sizes and mtimes of speechgate's own files.

    Taken once per process (a run asked twice, and its discovery helper once more): a process
    keeps running the code it loaded, whatever happens to the files afterwards."""
    package = Path(__file__).resolve().parent
    h = hashlib.sha256(__version__.encode() + b"\0")
    for path in sorted(package.rglob("*")):
        if path.suffix in {".py", ".json", ".yaml"}:
            st = path.stat()
            h.update(f"{path.relative_to(package)}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


class KnownFiles:
    """The `stat` table of a cache folder for the current code, read in one query.

    In: the cache folder. Out: (sha256, kind) of a path whose stat data is unchanged, or None.
    Only reads: a missing or unreadable database simply knows no files. Each row is kept as
    one bytes object (packed stat data, raw sha256, kind): about 200 bytes a file.
    """

    def __init__(self, rows: dict[bytes, bytes], code: str) -> None:
        self._rows = rows
        self.code = code
        self._kinds: dict[bytes, str] = {}  # one str per kind
        self._queries_left = 0  # files still to look up one query each (see `queried_first`)
        self._db: sqlite3.Connection | None = None
        self._signature: tuple[Any, ...] = ()

    @classmethod
    def queried_first(cls, folder: Path, queries: int, code: str | None = None) -> KnownFiles:
        """`load`, but the first `queries` files are looked up one query each, and only then is
        the table read whole. A discovery helper sends its first files at once instead of
        after reading every row (about 30 ms for 20,000), while its parent starts judging."""
        code = code or code_digest()
        path = folder / DB_NAME
        known = cls({}, code)
        if queries <= 0 or not path.is_file():
            return cls.load(folder, code)
        known._signature = _signature(path, code)
        try:
            known._db = sqlite3.connect(path, timeout=30, isolation_level=None)
            known._db.execute("BEGIN")  # one read transaction for all the queries: half the time each
        except sqlite3.Error:
            return known
        known._queries_left = queries
        return known

    @classmethod
    def load(cls, folder: Path, code: str | None = None) -> KnownFiles:
        """The pre-keys stored under `folder` (none when there is no readable database)."""
        code = code or code_digest()
        path = folder / DB_NAME
        if not path.is_file():
            return cls({}, code)
        signature = _signature(path, code)  # before connecting, which may create the log
        try:
            db = sqlite3.connect(path, timeout=30)
        except sqlite3.Error:
            return cls({}, code)
        try:
            return _known(db, code, signature)
        finally:
            db.close()

    def __len__(self) -> int:
        return len(self._rows)

    def lookup(self, abspath: str, stat: StatKey) -> tuple[str, str] | None:
        """(sha256, kind) recorded for `abspath` (absolute, not resolved) with this stat data."""
        key = _path_key(abspath)
        row = self._rows.get(key) if not self._queries_left else self._queried(key)
        if row is None or not row.startswith(_STAT.pack(*stat)):
            return None  # unknown or changed
        name = row[_STAT.size + 32 : -8]
        kind = self._kinds.get(name)
        if kind is None:
            kind = self._kinds[name] = name.decode("ascii", "replace")
        return row[_STAT.size : _STAT.size + 32].hex(), kind

    def _queried(self, key: bytes) -> bytes | None:
        """The row of one path key, by its own query; the last one reads the whole table."""
        db = self._db
        assert db is not None
        self._queries_left -= 1
        try:
            found = db.execute("SELECT entry FROM stat WHERE path = ? AND code = ?", (key, self.code)).fetchone()
            if not self._queries_left:
                self._rows = _known(db, self.code, self._signature)._rows
        except sqlite3.Error:
            found, self._queries_left = None, 0
        if not self._queries_left:
            db.close()
            self._db = None
        entry = None if found is None else found[0]
        ok = isinstance(entry, bytes) and _row_check(_mac_key(), key, entry[:-8]) == entry[-8:]
        return entry if ok else None

    def kind(self, abspath: str, st: os.stat_result) -> tuple[str, tuple[StatKey, str]] | None:
        """For discovery: the recorded kind of an unchanged regular file (it skips sniffing it),
        with the (stat pre-key, sha256) the runner then looks its scan up with."""
        if not stat_mode.S_ISREG(st.st_mode):
            return None
        stat = StatKey.from_stat(st)
        found = self.lookup(abspath, stat)
        return None if found is None else (found[1], (stat, found[0]))


_STAT = struct.Struct("<qqqQQ")  # size, mtime_ns, ctime_ns, inode, device


def _stat_row(path_key: bytes, stat: StatKey, sha256: str, kind: str) -> bytes:
    """A `stat` table row's value: packed stat data, the raw sha256, the kind and a check."""
    body = _STAT.pack(*stat) + bytes.fromhex(sha256) + kind.encode("ascii")
    return body + _row_check(_mac_key(), path_key, body)


def _row_check(mac: bytes, path_key: bytes, body: bytes) -> bytes:
    check = _keyed(mac, 8).copy()
    check.update(path_key + body)
    return check.digest()


_last_read: list[tuple[tuple[Any, ...], KnownFiles]] = []  # at most one: the last pre-keys read


def _known(db: sqlite3.Connection, code: str, signature: tuple[Any, ...]) -> KnownFiles:
    """The pre-keys of `code` in `db`, read once for discovery and the runner.

    Reused while the database and its write-ahead log keep their stat data (`signature`:
    nothing was written in between). Even a stale copy would only miss rows: every row
    states a fact about a file with the given stat data that no later write makes false.
    """
    if _last_read and _last_read[0][0] == signature:
        return _last_read[0][1]
    try:
        known = KnownFiles(_stat_rows(db, code), code)
    except sqlite3.Error:
        return KnownFiles({}, code)
    _last_read[:] = [(signature, known)]
    return known


def _signature(path: Path, code: str) -> tuple[Any, ...]:
    return (str(path), code, *(_stat_or_none(f"{path}{suffix}") for suffix in ("", "-wal")))


def _stat_or_none(path: str) -> StatKey | None:
    try:
        return StatKey.of(path)
    except OSError:
        return None


def _stat_rows(db: sqlite3.Connection, code: str) -> dict[bytes, bytes]:
    """The rows of `code` whose check matches (a damaged row is never trusted)."""
    mac = _mac_key()
    rows = db.execute("SELECT path, entry FROM stat WHERE code = ?", (code,))
    return {path: entry for path, entry in rows
            if isinstance(path, bytes) and isinstance(entry, bytes) and _row_check(mac, path, entry[:-8]) == entry[-8:]}


class ScanCache:
    """An open cache folder for one run and one set of settings. Use as a context manager."""

    def __init__(self, folder: Path, settings: ScanSettings) -> None:
        self.folder = folder
        code = code_digest()
        self.digest = settings_digest(settings)
        # taken before opening, which may create the log: discovery's read of the pre-keys has it
        self._signature = _signature(folder / DB_NAME, code)
        self._code = code
        self._mac = _mac_key()
        self._db: sqlite3.Connection | None = _open(folder)
        self._generation = _generation(self._db, self.digest, code)
        self._id_base = (self._generation & 0x7FFF) << 48  # row ids: see entry_key
        self._known: KnownFiles | None = None
        self._pending_stat: list[tuple[Any, ...]] = []
        self._pending_scan: list[tuple[int, int, str, str, str, str]] = []
        self._pending_group: list[tuple[int, int, str, str]] = []
        self._pending_group_bytes = 0

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

    @property
    def known(self) -> KnownFiles:
        """The pre-keys, read on first use: a run whose discovery vouched for every file
        (in a helper process, say) never needs them here."""
        if self._known is None:
            db = self._db
            self._known = KnownFiles({}, self._code) if db is None else _known(db, self._code, self._signature)
        return self._known

    def known_sha256(self, path: Path | str, stat: StatKey, kind: str | None = None) -> str | None:
        """The recorded sha256 of `path` if its stat data (and kind, if given) is unchanged."""
        found = self.known.lookup(os.path.abspath(path), stat)
        if found is None or (kind is not None and found[1] != kind):
            return None
        return found[0]

    def remember_sha256(self, path: Path | str, stat: StatKey, sha256: str, kind: str) -> None:
        if time.time_ns() - stat.mtime_ns < RACY_SECONDS * 1e9:
            return  # could still change within the same mtime tick
        key = _path_key(os.path.abspath(path))
        self._pending_stat.append((key, self.known.code, _stat_row(key, stat, sha256, kind)))

    # -- scan results ------------------------------------------------------------------

    def entry_key(self, artifact: Artifact, sha256: str) -> tuple[str, int]:
        """The entry's key (hex), and its row id: the generation in the top bits, then 48 bits
        of the key.

        SQLite finds a row by its integer id in one B-tree descent, where a text key takes an
        index and then the table; and a generation's rows lie together, so a warm run reads a
        third of the pages of a folder that keeps three. Ids of different keys could collide
        (a pair in about 2^48): the checksum covers the whole key, so the entry of another key
        fails its check, like a corrupt one, and is rescanned; storing a scan replaces the
        entry under its id.
        """
        digest = hashlib.sha256("\0".join((self.digest, artifact.display, artifact.kind, sha256)).encode()).digest()
        return digest.hex(), self._id_base | int.from_bytes(digest[:6], "little")

    def get(self, artifact: Artifact, sha256: str) -> PackedScan | None:
        """The cached packed scan, or None when absent or corrupt (a corrupt entry is deleted)."""
        return self.get_many([(artifact, sha256)])[0]

    def get_many(self, wanted: Sequence[tuple[Artifact, str]]) -> list[PackedScan | None]:
        """`get` for many (artifact, sha256) pairs."""
        return list(self.iter_many(wanted))

    def iter_many(self, wanted: Sequence[tuple[Artifact, str]]) -> Iterator[PackedScan | None]:
        """`get` for many (artifact, sha256) pairs, in order, reading the entries in batches (one
        query per batch: only one batch of rows is in memory at a time) and checking each."""
        corrupt: list[tuple[int]] = []
        mac = self._mac
        for start in range(0, len(wanted), FETCH_BATCH):
            batch = wanted[start : start + FETCH_BATCH]
            keys = [self.entry_key(artifact, sha) for artifact, sha in batch]
            rows = self._rows("scan", "payload, facts, text, checksum", [row_id for _, row_id in keys])
            for (key, row_id), (_, sha) in zip(keys, batch, strict=True):
                row = rows.get(row_id)
                hit = None if row is None else _checked(mac, key, sha, *row[1:])
                if hit is None and row is not None:
                    corrupt.append((row_id,))
                yield hit
        if corrupt:
            with contextlib.suppress(sqlite3.Error), self._db_or_raise() as db:
                db.executemany("DELETE FROM scan WHERE id = ?", corrupt)

    def _rows(self, table: str, columns: str, ids: Sequence[int]) -> dict[int, tuple[Any, ...]]:
        """(id, *columns) of those rows of `table` whose `ids` are stored; none when the query fails."""
        query = f"SELECT id, {columns} FROM {table} WHERE id IN ({','.join('?' * len(ids))})"
        try:
            return {row[0]: row for row in self._db_or_raise().execute(query, ids)}
        except sqlite3.Error:
            return {}

    def put(self, artifact: Artifact, scan: PackedScan) -> None:
        if not scan.sha256 or scan.has_values or scan.text is None:
            return  # unreadable file, or values present (and so no lines): never cache
        key, row_id = self.entry_key(artifact, scan.sha256)
        facts, text = packed.facts_text(scan.facts), _stored_lines(scan.text)
        self._pending_scan.append((row_id, self._generation, scan.payload, facts, text,
                                   _checksum(self._mac, key, scan.payload, facts, text)))
        if len(self._pending_scan) >= 2000:
            self.flush()

    # -- groups of files (cache_groups.py) ----------------------------------------------

    def group_key(self, members: Sequence[tuple[Artifact, str]]) -> tuple[str, int]:
        """A group's key (hex: every member's display path, kind and sha256, in order) and
        its row id: the generation's bits, then 48 bits of a hash of the first member's path.

        A group whose files changed keeps its first file (groups start where paths say,
        cache_groups.py), so its new row replaces the old one instead of adding to the table;
        the old row, found under the same id, fails its check (the checksum covers the whole
        key) and is deleted, like a corrupt one."""
        listing = "".join(f"\0{artifact.display}\0{artifact.kind}\0{sha}" for artifact, sha in members)
        key = hashlib.sha256(f"{self.digest}\0group{listing}".encode("utf-8", "surrogatepass")).hexdigest()
        start = hashlib.sha256(f"{self.digest}\0group\0{members[0][0].display}".encode("utf-8", "surrogatepass"))
        return key, self._id_base | int.from_bytes(start.digest()[:6], "little")

    def get_groups(self, groups: Sequence[Sequence[tuple[Artifact, str]]]) -> list[list[PackedScan] | None]:
        """For each group of (artifact, sha256): its members' packed scans in order, or None
        when it is absent or fails a check (a failing row is deleted)."""
        out: list[list[PackedScan] | None] = []
        corrupt: list[tuple[int]] = []
        mac = self._mac
        for start in range(0, len(groups), FETCH_BATCH):
            batch = groups[start : start + FETCH_BATCH]
            keys = [self.group_key(members) for members in batch]
            rows = self._rows("scan_group", "body, checksum", [row_id for _, row_id in keys])
            for (key, row_id), members in zip(keys, batch, strict=True):
                row = rows.get(row_id)
                scans = None if row is None else _group_checked(mac, key, members, *row[1:])
                if scans is None and row is not None:
                    corrupt.append((row_id,))
                out.append(scans)
        if corrupt:
            with contextlib.suppress(sqlite3.Error), self._db_or_raise() as db:
                db.executemany("DELETE FROM scan_group WHERE id = ?", corrupt)
        return out

    def put_group(self, members: Sequence[tuple[Artifact, str]], scans: Sequence[PackedScan]) -> None:
        """Store a group's packed scans (in members' order), unless one may not be cached:
        unreadable, holding values, or scanned from other content than its sha256 says."""
        parts = []
        for (_, sha), scan in zip(members, scans, strict=True):
            if not scan.sha256 or scan.has_values or scan.sha256 != sha or scan.text is None:
                return
            facts = packed.facts_text(scan.facts)
            if _FILE_SEP in scan.payload or _PART_SEP in scan.payload:
                return  # cannot happen with packed.py's JSON; never split a body wrongly
            parts.append(f"{facts}{_PART_SEP}{scan.payload}{_PART_SEP}{_stored_lines(scan.text)}")
        body = _FILE_SEP.join(parts)
        key, row_id = self.group_key(members)
        self._pending_group.append((row_id, self._generation, body, _group_checksum(self._mac, key, body)))
        self._pending_group_bytes += len(body)
        if self._pending_group_bytes >= GROUP_FLUSH_BYTES:
            self.flush()

    def flush(self) -> None:
        db = self._db
        if db is None or not (self._pending_scan or self._pending_stat or self._pending_group):
            return
        with db:
            db.executemany("INSERT OR REPLACE INTO stat VALUES (?, ?, ?)", self._pending_stat)
            db.executemany("INSERT OR REPLACE INTO scan VALUES (?, ?, ?, ?, ?, ?)", self._pending_scan)
            db.executemany("INSERT OR REPLACE INTO scan_group VALUES (?, ?, ?, ?)", self._pending_group)
        self._pending_stat.clear()
        self._pending_scan.clear()
        self._pending_group.clear()
        self._pending_group_bytes = 0

    def _db_or_raise(self) -> sqlite3.Connection:
        if self._db is None:
            raise sqlite3.ProgrammingError("cache is closed")
        return self._db


def _open(folder: Path) -> sqlite3.Connection:
    """Open (or create) the database; a file SQLite rejects is removed and recreated once."""
    folder.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        os.chmod(folder, 0o700)
    for version in range(1, SCHEMA_VERSION):  # databases of earlier layouts are never read again
        _remove(folder / f"scan-cache-v{version}.sqlite3")
    path = folder / DB_NAME
    try:
        return _connect(path)
    except sqlite3.DatabaseError:
        _remove(path)
        return _connect(path)


def _generation(db: sqlite3.Connection, digest: str, code: str) -> int:
    """The id of the generation of `digest`, marked as used now; making a new one prunes the
    generations beyond KEEP_GENERATIONS (0 when the database refuses: entries stored under
    it are pruned at the next new generation)."""
    now = time.time_ns()
    try:
        row = db.execute("SELECT id, used FROM generation WHERE digest = ?", (digest,)).fetchone()
        if row is not None:
            if now - row[1] >= USED_EVERY * 1_000_000_000:
                with db:
                    db.execute("UPDATE generation SET used = ? WHERE id = ?", (now, row[0]))
            return int(row[0])
        with db:
            db.execute("INSERT OR IGNORE INTO generation (digest, code, used) VALUES (?, ?, ?)", (digest, code, now))
            found = db.execute("SELECT id FROM generation WHERE digest = ?", (digest,)).fetchone()
            _prune(db)
        return int(found[0])
    except sqlite3.Error:
        return 0


def _prune(db: sqlite3.Connection) -> None:
    """Keep the KEEP_GENERATIONS most recently used generations, their entries and the
    pre-keys of their code; delete the rest (in the caller's transaction)."""
    kept = [row[0] for row in db.execute(
        "SELECT id FROM generation ORDER BY used DESC, id DESC LIMIT ?", (KEEP_GENERATIONS,))]
    marks = ",".join("?" * len(kept))
    db.execute(f"DELETE FROM scan WHERE generation NOT IN ({marks})", kept)
    db.execute(f"DELETE FROM scan_group WHERE generation NOT IN ({marks})", kept)
    db.execute(f"DELETE FROM generation WHERE id NOT IN ({marks})", kept)
    db.execute("DELETE FROM stat WHERE code NOT IN (SELECT code FROM generation)")


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(f"{path}{suffix}")


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=30, isolation_level="DEFERRED")
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
        db.execute("CREATE TABLE IF NOT EXISTS stat (path BLOB PRIMARY KEY, code TEXT, entry BLOB)")
        db.execute("CREATE TABLE IF NOT EXISTS scan "
                   "(id INTEGER PRIMARY KEY, generation INTEGER, payload TEXT, facts TEXT, text TEXT, checksum TEXT)")
        db.execute("CREATE TABLE IF NOT EXISTS scan_group "
                   "(id INTEGER PRIMARY KEY, generation INTEGER, body TEXT, checksum TEXT)")
        db.execute("CREATE TABLE IF NOT EXISTS generation "
                   "(id INTEGER PRIMARY KEY, digest TEXT UNIQUE, code TEXT, used INTEGER)")
        db.execute("SELECT 1 FROM scan LIMIT 1").fetchone()
        db.commit()
    except sqlite3.DatabaseError:
        db.close()
        raise
    return db


_FS_ENCODING = sys.getfilesystemencoding()


def _path_key(abspath: str) -> bytes:
    """Hash of the absolute path (not resolved: the stat data already tells files apart)."""
    return hashlib.sha256(abspath.encode(_FS_ENCODING, "surrogateescape")).digest()  # os.fsencode, inline


def _mac_key() -> bytes:
    """The key of every check in the folder (entries and pre-keys), derived from the
    fingerprint key (privacy.py): a secret kept outside the cache folder."""
    return _derived_key(privacy.fingerprint_key())


@functools.lru_cache(maxsize=4)
def _derived_key(secret: bytes) -> bytes:
    return hashlib.blake2b(b"speechgate cache checks", key=hashlib.sha256(secret).digest()).digest()


def _checksum(mac: bytes, key: str, payload: str, facts: str, text: str) -> str:
    """Keyed BLAKE2b of an entry: only a holder of the fingerprint key could have written it."""
    return _keyed_hex(mac, f"{key}\0{facts}\0{payload}\0{text}")


def _stored_lines(text: str) -> str:
    """A scan's lines as the cache keeps them: as they are when ASCII without a separator
    (most), else as a JSON string (ASCII, escaped; lines never start with a quote).

    Why: one non-ASCII character (`©` in an MP4 tag's name, `…` in a shortened preview) made
    a whole group's body a wide string, which Python decodes, encodes for its checksum and
    splits at a fraction of the speed of ASCII; and a lone surrogate could not be stored."""
    if text.isascii() and not text.startswith('"') and _FILE_SEP not in text and _PART_SEP not in text:
        return text
    return json.dumps(text)


def _lines_of(stored: str) -> str:
    """The lines `_stored_lines` kept; ValueError if they are not what it writes."""
    if not stored.startswith('"'):
        return stored
    text = json.loads(stored)
    if type(text) is not str:
        raise ValueError("not lines")
    return text


def _keyed_hex(mac: bytes, text: str) -> str:
    check = _keyed(mac, 32).copy()
    check.update(text.encode())
    return check.hexdigest()


@functools.lru_cache(maxsize=4)
def _keyed(mac: bytes, size: int) -> Any:
    """A keyed BLAKE2b of `size` bytes over nothing yet, to copy for each check: the key's
    block is hashed once, not once per entry of a warm run's 20,000."""
    return hashlib.blake2b(key=mac, digest_size=size)


def _checked(mac: bytes, key: str, sha256: str, payload: Any, facts: Any, text: Any, checksum: Any
             ) -> PackedScan | None:
    """The entry as a PackedScan, or None if its checksum or its facts are wrong."""
    if (type(payload) is not str or type(facts) is not str or type(text) is not str
            or _checksum(mac, key, payload, facts, text) != checksum):
        return None
    try:
        return PackedScan(sha256, payload, packed.facts_from_text(facts), False, _lines_of(text))
    except ValueError:
        return None


def _group_checksum(mac: bytes, key: str, body: str) -> str:
    """Keyed BLAKE2b of a group row, as `_checksum` of an entry."""
    return _keyed_hex(mac, f"{key}\0{body}")


def _group_checked(mac: bytes, key: str, members: Sequence[tuple[Artifact, str]], body: Any, checksum: Any
                   ) -> list[PackedScan] | None:
    """A group row's packed scans, or None if its checksum, its number of files, or a file's
    parts (facts, payload, lines) or facts are wrong."""
    if type(body) is not str or _group_checksum(mac, key, body) != checksum:
        return None
    parts = body.split(_FILE_SEP)
    if len(parts) != len(members):
        return None
    scans = []
    try:
        for (_, sha), part in zip(members, parts, strict=True):
            facts, payload, text = part.split(_PART_SEP)  # ValueError unless three parts
            scans.append(PackedScan(sha, payload, packed.facts_from_text(facts), False, _lines_of(text)))
    except ValueError:
        return None
    return scans
