"""Builders for tiny audio files with invented metadata, written at test time.

WAV audio comes from the stdlib `wave` module; RIFF/AIFF chunks, MP4 boxes and FLAC
metadata blocks are packed with `struct`; ID3/APEv2/Vorbis tags are written by mutagen.
Every value used by the tests is invented.
"""

from __future__ import annotations

import io
import struct
import wave
from collections.abc import Iterable, Sequence
from pathlib import Path

# ---------------------------------------------------------------- RIFF / WAV


def chunk(cid: bytes, payload: bytes, big_endian: bool = False) -> bytes:
    """One IFF chunk with its pad byte."""
    size = struct.pack(">I" if big_endian else "<I", len(payload))
    return cid + size + payload + (b"\0" if len(payload) & 1 else b"")


def pcm_wav(frames: int = 160) -> bytes:
    """A valid 8 kHz mono 16-bit WAV of silence."""
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\0\0" * frames)
    return buf.getvalue()


def wav_with(chunks: Iterable[bytes], frames: int = 160, before_data: bool = False) -> bytes:
    """A WAV with extra chunks appended after `data` (or inserted before it)."""
    base = pcm_wav(frames)
    body = base[12:]
    extra = b"".join(chunks)
    if before_data:
        data_at = body.index(b"data")
        body = body[:data_at] + extra + body[data_at:]
    else:
        body = body + extra
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WAVE" + body


def info_list(items: Sequence[tuple[bytes, str]]) -> bytes:
    return chunk(b"LIST", b"INFO" + b"".join(chunk(cid, text.encode() + b"\0") for cid, text in items))


def adtl_list(labels: Sequence[tuple[int, str]], notes: Sequence[tuple[int, str]] = ()) -> bytes:
    subs = [chunk(b"labl", struct.pack("<I", cue) + t.encode() + b"\0") for cue, t in labels]
    subs += [chunk(b"note", struct.pack("<I", cue) + t.encode() + b"\0") for cue, t in notes]
    return chunk(b"LIST", b"adtl" + b"".join(subs))


def exif_list(items: Sequence[tuple[bytes, str]]) -> bytes:
    return chunk(b"LIST", b"exif" + b"".join(chunk(cid, text.encode() + b"\0") for cid, text in items))


def bext(description: str = "", originator: str = "", reference: str = "", date: str = "", time: str = "",
         umid: bytes = b"", history: str = "") -> bytes:
    fixed = struct.pack(
        "<256s32s32s10s8sQH64s10s180s",
        description.encode(), originator.encode(), reference.encode(), date.encode(), time.encode(),
        0, 2, umid, b"", b"",
    )
    return chunk(b"bext", fixed + history.encode())


def ixml(inner: str) -> bytes:
    doc = f'<?xml version="1.0" encoding="UTF-8"?><BWFXML>{inner}</BWFXML>'
    return chunk(b"iXML", doc.encode())


def id3_chunk(frames: Sequence[object], cid: bytes = b"id3 ") -> bytes:
    return chunk(cid, id3_bytes(frames))


def id3_bytes(frames: Sequence[object]) -> bytes:
    """An ID3v2.4 tag holding the given mutagen frames, as bytes."""
    from mutagen.id3 import ID3

    tags = ID3()
    for frame in frames:
        tags.add(frame)
    buf = io.BytesIO()
    tags.save(buf, padding=lambda info: 0)
    return buf.getvalue()


# ---------------------------------------------------------------- AIFF


def aiff_with(chunks: Iterable[bytes], frames: int = 16) -> bytes:
    comm = struct.pack(">hLh", 1, frames, 16) + b"\x40\x0b\xfa\x00\x00\x00\x00\x00\x00\x00"  # 8000 Hz
    ssnd = struct.pack(">LL", 0, 0) + b"\0\0" * frames
    body = b"AIFF" + chunk(b"COMM", comm, True) + b"".join(chunks) + chunk(b"SSND", ssnd, True)
    return b"FORM" + struct.pack(">I", len(body)) + body


def aiff_text(cid: bytes, text: str) -> bytes:
    return chunk(cid, text.encode(), True)


def aiff_comments(texts: Sequence[str]) -> bytes:
    body = struct.pack(">H", len(texts))
    for t in texts:
        raw = t.encode()
        body += struct.pack(">IHH", 0, 0, len(raw)) + raw + (b"\0" if len(raw) & 1 else b"")
    return chunk(b"COMT", body, True)


# ---------------------------------------------------------------- MP4 / QuickTime


def box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def udta_text(kind: bytes, text: str) -> bytes:
    raw = text.encode()
    return box(kind, struct.pack(">HH", len(raw), 0x15C7) + raw)


def qt_meta(items: Sequence[tuple[str, str]]) -> bytes:
    """A QuickTime `meta` box (not a full box) with `hdlr mdta`, `keys` and `ilst`."""
    hdlr = box(b"hdlr", b"\0" * 8 + b"mdta" + b"\0" * 13)
    keys = box(b"keys", b"\0\0\0\0" + struct.pack(">I", len(items))
               + b"".join(box(b"mdta", k.encode()) for k, _ in items))
    ilst = box(b"ilst", b"".join(
        box(struct.pack(">I", i), box(b"data", struct.pack(">II", 1, 0) + v.encode()))
        for i, (_, v) in enumerate(items, 1)))
    return box(b"meta", hdlr + keys + ilst)


def mp4_with(moov_children: Sequence[bytes], mdat: bytes = b"\0" * 64) -> bytes:
    """A QuickTime file: ftyp, mdat, then moov with mvhd and the given children."""
    ftyp = box(b"ftyp", b"qt  " + b"\0\0\0\0" + b"qt  ")
    mvhd = box(b"mvhd", b"\0" * 4 + struct.pack(">IIII", 0, 0, 1000, 0) + b"\0\x01\0\0\x01\0" + b"\0" * 10
               + struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000) + b"\0" * 24
               + struct.pack(">I", 2))
    return ftyp + box(b"mdat", mdat) + box(b"moov", mvhd + b"".join(moov_children))


# ---------------------------------------------------------------- FLAC


def flac_with(blocks: Sequence[tuple[int, bytes]]) -> bytes:
    """`fLaC`, a STREAMINFO and the given (type, payload) metadata blocks, then one fake frame."""
    streaminfo = struct.pack(">HH", 4096, 4096) + b"\0" * 6 + bytes([0x01, 0xF4, 0x00, 0x70]) + b"\0" * 4 + b"\0" * 16
    items = [(0, streaminfo), *blocks]
    out = b"fLaC"
    for i, (kind, payload) in enumerate(items):
        last = 0x80 if i == len(items) - 1 else 0
        out += bytes([last | kind]) + len(payload).to_bytes(3, "big") + payload
    return out + b"\xff\xf8" + b"\0" * 32


def vorbis_block(pairs: Sequence[tuple[str, str]]) -> bytes:
    from mutagen.flac import VCFLACDict

    comments = VCFLACDict()
    for key, value in pairs:
        comments.append((key, value))
    return comments.write(framing=False)


def picture_block(data: bytes = b"\x89PNG\r\n\x1a\n" + b"\0" * 24, mime: str = "image/png", desc: str = "") -> bytes:
    from mutagen.flac import Picture

    pic = Picture()
    pic.type, pic.mime, pic.desc, pic.data = 3, mime, desc, data
    return pic.write()


def riff_application(chunks: Sequence[bytes]) -> list[tuple[int, bytes]]:
    """APPLICATION blocks as `flac --keep-foreign-metadata` writes them: header, chunks, data header."""
    blocks = [(2, b"riff" + b"RIFF" + struct.pack("<I", 0) + b"WAVE")]
    blocks += [(2, b"riff" + c) for c in chunks]
    blocks.append((2, b"riff" + b"data" + struct.pack("<I", 320)))
    return blocks


# ---------------------------------------------------------------- Ogg Opus


def ogg_opus(pairs: Sequence[tuple[str, str]]) -> bytes:
    """An Ogg Opus stream: OpusHead page, OpusTags page with the comments, one audio page."""
    from mutagen._vorbis import VComment
    from mutagen.ogg import OggPage

    comments = VComment()
    comments.vendor = "fixture"
    for key, value in pairs:
        comments.append((key, value))
    head = b"OpusHead" + bytes([1, 1]) + struct.pack("<HIhB", 312, 48000, 0, 0)
    packets = [head, b"OpusTags" + comments.write(framing=False), b"\xf8\xff\xfe"]
    out = b""
    for sequence, packet in enumerate(packets):
        page = OggPage()
        page.packets, page.serial, page.sequence = [packet], 7, sequence
        page.position = 960 if sequence == 2 else 0
        page.first, page.last = sequence == 0, sequence == 2
        out += page.write()
    return out


# ---------------------------------------------------------------- MP3


def mpeg_frames(count: int = 4) -> bytes:
    """MPEG-1 Layer III frames (128 kbit/s, 44.1 kHz), silent payload."""
    return (b"\xff\xfb\x90\x00" + b"\0" * 413) * count


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
