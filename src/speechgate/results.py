"""A run's judged results, kept on disk so memory stays flat however many files are scanned.

In: for each artifact index, a judged header and its packed findings (results may arrive in
any order, as a process pool returns them). Out: a read-only sequence of ArtifactResults in
index order, decoded one at a time as a formatter walks it, and a Tally of the run.

Records are pickled into an anonymous temporary file (unlinked at creation: never visible
in the file system and gone when the run ends) once more than a megabyte is waiting; only
an offset per artifact stays in memory. It holds what the report shows (masked previews,
keyed fingerprints); a run that shows raw values keeps its records in memory instead, so
values never touch the disk.
"""

from __future__ import annotations

import os
import pickle
from array import array
from collections.abc import Iterator, Sequence
from typing import IO, NamedTuple, overload

from speechgate import packed
from speechgate.model import ArtifactResult
from speechgate.tally import Facts, Tally

SPILL_BYTES = 1 << 20  # records buffered in memory before they are written out
_MISSING = -1


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
        self._offsets = array("q", [_MISSING]) * size  # start of each record, in the file then the buffer
        self._lengths = array("q", [0]) * size
        self._buffer = bytearray()  # records not yet written; they start at self._written
        self._written = 0
        self._file: IO[bytes] | None = None
        self._facts: dict[int, tuple[str, Facts]] = {}  # verdict and facts until they can be tallied in order
        self._next_tally = 0
        self.tally = Tally()

    def add(self, index: int, header: Header, payload: str, facts: Facts) -> None:
        """Keep the result of artifact `index`; a streamed run's store grows with its indexes."""
        if index >= len(self._offsets):
            more = max(index + 1, 2 * len(self._offsets)) - len(self._offsets)
            self._offsets.extend(array("q", [_MISSING]) * more)
            self._lengths.extend(array("q", [0]) * more)
        self._size = max(self._size, index + 1)
        if self._offsets[index] != _MISSING:
            raise ValueError(f"result {index} added twice")
        record = pickle.dumps((tuple(header), payload), protocol=pickle.HIGHEST_PROTOCOL)  # a plain tuple loads faster
        self._offsets[index] = self._written + len(self._buffer)
        self._lengths[index] = len(record)
        self._buffer += record
        if self._spill and len(self._buffer) >= SPILL_BYTES:
            self._write_out()
        self._facts[index] = (header.verdict, facts)
        while self._next_tally in self._facts:  # the tally's hint depends on report order
            self.tally.add(*self._facts.pop(self._next_tally))
            self._next_tally += 1

    def __len__(self) -> int:
        return self._size

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
        fields, payload = pickle.loads(self._record(index))
        return _result(Header._make(fields), payload)

    def __iter__(self) -> Iterator[ArtifactResult]:
        for index in range(self._size):
            yield self[index]

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def _record(self, index: int) -> bytes:
        start, length = self._offsets[index], self._lengths[index]
        if start == _MISSING:
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


def _result(header: Header, payload: str) -> ArtifactResult:
    findings, notes = packed.decode_checked(payload)  # checked when cached or packed by this run
    active = tuple(f for f in findings if f.suppressed_by is None)
    suppressed = tuple(f for f in findings if f.suppressed_by is not None) if len(active) < len(findings) else ()
    return ArtifactResult(
        path=header.path, kind=header.kind, sha256=header.sha256, risk=header.risk,
        threshold=header.threshold, verdict=header.verdict, findings=active, suppressed=suppressed,
        reasons=header.reasons, notes=notes, file=header.file,
    )
