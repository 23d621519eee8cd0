"""NumPy `.npy` and `.npz` files: the array header only (dtype and shape); data is never loaded.

Written here rather than with numpy.lib.format because numpy is not a dependency of the
gate and the header is small and fully specified: magic `\\x93NUMPY`, version, a 2- or
4-byte little-endian length, then a Python dict literal parsed with `ast.literal_eval`
(literals only, nothing executed; length capped). `.npz` is a zip of `.npy` members; each
member's header is read from the streamed member, so compressed data is not inflated past it.

Out: one BINARY field per array named by its file stem / member name: `float[RxC]` for a
2-D float matrix with 128..1024 columns, `float[N]` for a 1-D float vector of 128..1024
under an embedding-like name (so the voiceprint rule recognises both), otherwise a
neutral description `array <dtype> <shape>`. `.npz` member names are KEY fields too.
Object arrays (`|O`, pickled) are Unscannable: "executable format".
"""

from __future__ import annotations

import ast
import struct
import zipfile
from collections.abc import Iterator
from typing import IO, Any

import re2

from speechgate.errors import Unscannable
from speechgate.model import Artifact, Field, Note, Role
from speechgate.readers.textio import open_binary

MAGIC = b"\x93NUMPY"
MAX_HEADER = 1 << 16
MAX_MEMBERS = 10_000
EMBEDDING_NAME = re2.compile(r"(?i)(emb|vec|voiceprint|spk|speaker|xvec|dvec|ivec|ecapa|centroid)")


def read_header(stream: IO[bytes]) -> tuple[str, tuple[int, ...]]:
    """(dtype descr, shape) from the start of an .npy stream. Raises Unscannable."""
    prefix = stream.read(8)
    if len(prefix) < 8 or not prefix.startswith(MAGIC):
        raise Unscannable("not a NumPy .npy array (bad magic)")
    major = prefix[6]
    size_bytes = stream.read(2 if major == 1 else 4)
    if major not in (1, 2, 3) or len(size_bytes) not in (2, 4):
        raise Unscannable("unsupported or truncated .npy header")
    (length,) = struct.unpack("<H" if major == 1 else "<I", size_bytes)
    if length > MAX_HEADER:
        raise Unscannable(".npy header longer than 64 KB")
    raw = stream.read(length)
    if len(raw) < length:
        raise Unscannable("truncated .npy header")
    try:
        header = ast.literal_eval(raw.decode("latin-1" if major < 3 else "utf-8"))
    except (ValueError, SyntaxError, UnicodeDecodeError, MemoryError, RecursionError):
        raise Unscannable("corrupt .npy header") from None
    if not isinstance(header, dict) or "descr" not in header or "shape" not in header:
        raise Unscannable("corrupt .npy header")
    shape = header["shape"]
    if not isinstance(shape, tuple) or not all(isinstance(d, int) and d >= 0 for d in shape):
        raise Unscannable("corrupt .npy header")
    return _descr(header["descr"]), shape


def _descr(descr: Any) -> str:
    if isinstance(descr, str):
        if descr.endswith("O"):
            raise Unscannable("executable format (NumPy object array holds pickles); never unpickled")
        return descr
    return "structured"


def describe(name: str, descr: str, shape: tuple[int, ...]) -> str:
    """The BINARY field text for an array."""
    is_float = descr.lstrip("<>|=").startswith("f")
    if is_float and len(shape) == 2 and 128 <= shape[1] <= 1024:
        return f"float[{shape[0]}x{shape[1]}]"
    if is_float and len(shape) == 1 and 128 <= shape[0] <= 1024 and EMBEDDING_NAME.search(name):
        return f"float[{shape[0]}]"
    return f"array {descr} {shape}"


def read(artifact: Artifact) -> Iterator[Field | Note]:
    if artifact.kind == "npz":
        yield from _npz(artifact)
        return
    name = artifact.path.name.split(".")[0]
    with open_binary(artifact.path) as stream:
        descr, shape = read_header(stream)
    yield Field(describe(name, descr, shape), Role.BINARY, {"field": "array"}, name=name)


def _npz(artifact: Artifact) -> Iterator[Field | Note]:
    try:
        archive = zipfile.ZipFile(artifact.path)
    except (zipfile.BadZipFile, OSError):
        raise Unscannable("corrupt .npz archive") from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise Unscannable(f".npz holds more than {MAX_MEMBERS} arrays")
        for index, info in enumerate(members, start=1):
            name = info.filename.removesuffix(".npy")
            where = {"field": f"member {index}"}  # member names can be content: scanned, not shown
            yield Field(name, Role.KEY, where, name="npz:member")
            try:
                with archive.open(info) as stream:
                    descr, shape = read_header(stream)
            except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError):
                raise Unscannable("corrupt .npz member") from None
            yield Field(describe(name, descr, shape), Role.BINARY, where, name=name)
