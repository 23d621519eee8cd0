"""A run's judged results, kept on disk so memory stays flat however many files are scanned.

In: for each artifact index, a judged header and its packed findings (results may arrive in
any order, as a process pool returns them). Out: a read-only sequence of ArtifactResults in
index order, decoded one at a time as a formatter walks it, and a Tally of the run.

Records are pickled into an anonymous temporary file (unlinked at creation: never visible
in the file system and gone when the run ends) once more than a megabyte is waiting, and
their positions into a second one (`Slots`); only one bit per artifact stays in memory.
The files hold what the report shows (masked previews, keyed fingerprints); a run that
shows raw values keeps its records in memory instead, so values never touch the disk.
"""

from __future__ import annotations

import os
import pickle
import struct
import sys
from array import array
from collections.abc import Iterator, Sequence
from itertools import chain
from typing import IO, NamedTuple, overload

from speechgate import packed
from speechgate.model import ArtifactResult
from speechgate.tally import Facts, Tally

SPILL_BYTES = 1 << 20  # records buffered in memory before they are written out
_SLOT = struct.Struct("<qq")  # a record's start and length, in the index file
_SLOTS_READ = 4096  # slots read at once while a report walks the store


class Header(NamedTuple):
    """An ArtifactResult without its findings."""

    path: str
    kind: str
    sha256: str
    risk: float
    threshold: float
    verdict: str
    reasons: tuple[str, ...]
    file: str


class ResultStore(Sequence[ArtifactResult]):
    """Results by artifact index; `tally` totals them (in index order) once all have been added."""

    def __init__(self, size: int = 0, spill: bool = True) -> None:
        self._size = size  # indexes 0 .. size-1 are (or will be) results
        self._spill = spill
        self._slots = Slots()  # where each record starts (in the file, then the buffer) and its length
        self._buffer = bytearray()  # records not yet written; they start at self._written
        self._written = 0
        self._file: IO[bytes] | None = None
        self._facts: dict[int, tuple[str, Facts]] = {}  # verdict and facts until they can be tallied in order
        self._next_tally = 0
        self.tally = Tally()

    def add(self, index: int, header: Header, payload: str, facts: Facts, text: str | None = None) -> None:
        """Keep the result of artifact `index`; a streamed run's store grows with its indexes.
        `text`: the scan's plain lines for the terminal report (packed.PackedScan.text), if known."""
        # a plain tuple loads faster
        record = pickle.dumps((tuple(header), payload, text), protocol=pickle.HIGHEST_PROTOCOL)
        self._slots.put(index, self._written + len(self._buffer), len(record))  # ValueError if added twice
        self._size = max(self._size, index + 1)
        self._buffer += record
        if self._spill and len(self._buffer) >= SPILL_BYTES:
            self._write_out()
        if index == self._next_tally and not self._facts:  # in order, as cache hits come
            self.tally.add(header.verdict, facts)
            self._next_tally += 1
            return
        self._facts[index] = (header.verdict, facts)
        while self._next_tally in self._facts:  # the tally's hint depends on report order
            self.tally.add(*self._facts.pop(self._next_tally))
            self._next_tally += 1

    def __len__(self) -> int:
        return self._size

    @property
    def ready(self) -> int:
        """How many leading results (indexes 0 .. ready-1) have all been added."""
        return self._next_tally

    @overload
    def __getitem__(self, index: int) -> ArtifactResult: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[ArtifactResult]: ...

    def __getitem__(self, index: int | slice) -> ArtifactResult | Sequence[ArtifactResult]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._size))]
        if index < 0:
            index += self._size
        if not 0 <= index < self._size:
            raise IndexError(index)
        return self._load(index, self._slots.get(index))

    def __iter__(self) -> Iterator[ArtifactResult]:
        return self.iter_range(0, self._size)

    def iter_range(self, start: int, stop: int) -> Iterator[ArtifactResult]:
        """The results of indexes start .. stop-1 (within the store), in order."""
        stop = min(stop, self._size)
        for first in range(max(0, start), stop, _SLOTS_READ):  # the index file read a block at a time
            for offset, slot in enumerate(self._slots.get_many(first, min(_SLOTS_READ, stop - first))):
                yield self._load(first + offset, slot)

    def iter_lines(self, start: int, stop: int) -> Iterator[tuple[int, Header, str | None]]:
        """(index, header, plain lines or None) of indexes start .. stop-1, in order, without
        decoding the findings: what the terminal report needs of a result (report.text_body)."""
        stop = min(stop, self._size)
        make = Header._make
        for first in range(max(0, start), stop, _SLOTS_READ):
            for offset, slot in enumerate(self._slots.get_many(first, min(_SLOTS_READ, stop - first))):
                index = first + offset
                fields, _, text = pickle.loads(self._record(index, *slot))
                yield index, make(fields), text

    def close(self) -> None:
        self._slots.close()
        if self._file is not None:
            self._file.close()
            self._file = None

    def _load(self, index: int, slot: tuple[int, int]) -> ArtifactResult:
        fields, payload, _ = pickle.loads(self._record(index, *slot))
        return _result(Header._make(fields), payload)

    def _record(self, index: int, start: int, length: int) -> bytes:
        if not length:
            raise LookupError(f"no result for artifact {index}")
        if start >= self._written:
            start -= self._written
            return bytes(self._buffer[start : start + length])
        assert self._file is not None
        return os.pread(self._file.fileno(), length, start)

    def _write_out(self) -> None:
        """Move the waiting records to the temporary file; if that fails, keep them in memory."""
        try:
            if self._file is None:
                import tempfile  # only a run that spills needs it

                self._file = tempfile.TemporaryFile(prefix="speechgate-")  # noqa: SIM115 (open for the run; see close)
            self._file.seek(self._written)
            self._file.write(self._buffer)
            self._file.flush()
        except OSError:
            self._spill = False  # a full or read-only temporary folder costs memory, not the run
            return
        self._written += len(self._buffer)
        self._buffer = bytearray()
        self._slots.write_out()


class Slots:
    """(start, length) of each record by index: in memory until the store spills, then in an
    anonymous temporary file of 16 bytes per index, so that only one bit per artifact (added
    or not) stays in memory however many files a run has.

    Slots added since the last `write_out` wait in a dict; a temporary folder that refuses
    the index file leaves the slots in memory, as the store does with its records.
    """

    def __init__(self) -> None:
        self._added = bytearray()  # one bit per index
        self._starts: array[int] | None = array("q")  # in memory: start and length by index
        self._lengths = array("q")
        self._recent: dict[int, tuple[int, int]] = {}  # with an index file: slots not yet written to it
        self._file: IO[bytes] | None = None

    def put(self, index: int, start: int, length: int) -> None:
        byte, bit = divmod(index, 8)
        if byte >= len(self._added):
            self._added.extend(bytes(max(byte + 1, 2 * len(self._added)) - len(self._added)))
        if self._added[byte] >> bit & 1:
            raise ValueError(f"result {index} added twice")
        self._added[byte] |= 1 << bit
        if self._starts is None:
            self._recent[index] = (start, length)
            return
        if index >= len(self._starts):
            more = max(index + 1, 2 * len(self._starts)) - len(self._starts)
            self._starts.extend(array("q", [0]) * more)
            self._lengths.extend(array("q", [0]) * more)
        self._starts[index] = start
        self._lengths[index] = length

    def get(self, index: int) -> tuple[int, int]:
        """(start, length) of record `index`; length 0 if it was never added."""
        if self._starts is not None:
            return (self._starts[index], self._lengths[index]) if index < len(self._starts) else (0, 0)
        found = self._recent.get(index)
        if found is not None:
            return found
        assert self._file is not None
        slot = os.pread(self._file.fileno(), _SLOT.size, index * _SLOT.size)
        return _SLOT.unpack(slot) if len(slot) == _SLOT.size else (0, 0)  # past the end: never added

    def get_many(self, first: int, count: int) -> list[tuple[int, int]]:
        """`get` for the indexes first .. first+count-1, with one read of the index file."""
        if self._starts is not None or not count:
            return [self.get(index) for index in range(first, first + count)]
        assert self._file is not None
        block = os.pread(self._file.fileno(), count * _SLOT.size, first * _SLOT.size)
        found = list(_SLOT.iter_unpack(block[: len(block) - len(block) % _SLOT.size]))
        found += [(0, 0)] * (count - len(found))  # past the end of the file: never added
        for index, slot in self._recent.items():
            if first <= index < first + count:
                found[index - first] = slot
        return found

    def write_out(self) -> None:
        """Move the slots to the index file (made on the first call); on failure keep them here."""
        try:
            if self._file is None:
                import tempfile

                self._file = tempfile.TemporaryFile(prefix="speechgate-index-")  # noqa: SIM115 (see close)
            fd = self._file.fileno()
            if self._starts is not None:
                pairs = array("q", [0]) * (2 * len(self._starts))
                pairs[0::2], pairs[1::2] = self._starts, self._lengths
                os.pwrite(fd, pairs.tobytes(), 0)
            elif self._recent:
                recent = self._recent
                first, last = min(recent), max(recent)
                if last - first + 1 == len(recent):  # one run of indexes, as results mostly come
                    # speed: packed by array in C, not by a struct call per slot
                    block = array("q", chain.from_iterable(map(recent.__getitem__, range(first, last + 1))))
                    if sys.byteorder != "little":
                        block.byteswap()  # the index file is little-endian (_SLOT)
                    os.pwrite(fd, block.tobytes(), first * _SLOT.size)
                else:
                    for first, slots in _runs(sorted(recent.items())):  # a write per run of indexes
                        os.pwrite(fd, b"".join(_SLOT.pack(*slot) for slot in slots), first * _SLOT.size)
        except OSError:
            self._in_memory()
            return
        self._starts = None
        self._recent = {}

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def _in_memory(self) -> None:
        """Bring every slot back into memory (the index file could not be written)."""
        if self._starts is None:
            count = 8 * len(self._added)
            starts, lengths = array("q", [0]) * count, array("q", [0]) * count
            for index in range(count):
                if self._added[index >> 3] >> (index & 7) & 1:
                    starts[index], lengths[index] = self._recent.get(index) or self.get(index)
            self._starts, self._lengths, self._recent = starts, lengths, {}
        self.close()


def _runs(items: Sequence[tuple[int, tuple[int, int]]]) -> Iterator[tuple[int, list[tuple[int, int]]]]:
    """(first index, slots) of each run of consecutive indexes in sorted (index, slot) pairs."""
    first = 0
    slots: list[tuple[int, int]] = []
    for index, slot in items:
        if slots and index != first + len(slots):
            yield first, slots
            slots = []
        if not slots:
            first = index
        slots.append(slot)
    if slots:
        yield first, slots


def _result(header: Header, payload: str) -> ArtifactResult:
    findings, notes = packed.decode_checked(payload)  # checked when cached or packed by this run
    active = tuple(f for f in findings if f.suppressed_by is None)
    suppressed = tuple(f for f in findings if f.suppressed_by is not None) if len(active) < len(findings) else ()
    return ArtifactResult(
        path=header.path, kind=header.kind, sha256=header.sha256, risk=header.risk,
        threshold=header.threshold, verdict=header.verdict, findings=active, suppressed=suppressed,
        reasons=header.reasons, notes=notes, file=header.file,
    )
