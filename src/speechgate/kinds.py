"""Classify a file into an artifact kind: content signature first, then name, then a text sniff.

In: a path. Out: a kind string such as "srt", "jsonl", "mp3", "text", or "binary" for
content no reader understands (reported as unscannable: we fail closed).
"""

from __future__ import annotations

import os
from pathlib import Path

import re2

NEVER_OPENED = frozenset({"symlink_outside", "special"})  # kinds whose path must not even be hashed

SNIFF_BYTES = 4096

BY_SUFFIX: dict[str, str] = {
    ".txt": "text", ".md": "text", ".lab": "lab", ".trn": "trn", ".log": "text",
    ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".csv": "csv", ".tsv": "tsv",
    ".srt": "srt", ".vtt": "vtt", ".rttm": "rttm",
    ".stm": "stm", ".ctm": "ctm", ".uem": "uem",
    ".textgrid": "textgrid", ".eaf": "eaf", ".pfsx": "pfsx", ".cha": "cha",
    ".npy": "npy", ".npz": "npz",
    ".pkl": "pickle", ".pickle": "pickle", ".pt": "pickle", ".pth": "pickle",
    ".ckpt": "pickle", ".bin": "binary",
    ".mp3": "mp3", ".flac": "flac", ".ogg": "ogg", ".oga": "ogg", ".opus": "ogg", ".spx": "ogg",
    ".m4a": "mp4", ".m4b": "mp4", ".mp4": "mp4", ".mov": "mp4", ".3gp": "mp4",
    ".wma": "asf", ".asf": "asf", ".wmv": "asf",
    ".wav": "wav", ".wave": "wav", ".bwf": "wav", ".aif": "aiff", ".aiff": "aiff", ".aifc": "aiff",
    ".ape": "ape", ".wv": "ape", ".mpc": "ape", ".apev2": "ape",
    ".gz": "gzip",
}

KALDI_NAMES = frozenset(
    {"text", "utt2spk", "spk2utt", "spk2gender", "segments", "wav.scp", "reco2file_and_channel",
     "utt2dur", "utt2lang", "spk2age", "feats.scp"}
)

_TEXT_KINDS = frozenset({"text", "lab", "trn", "json", "jsonl", "csv", "tsv", "srt", "vtt", "rttm", "stm", "ctm",
                         "uem", "textgrid", "eaf", "pfsx", "cha"})
_TORCH_ZIP = frozenset({".pt", ".pth", ".ckpt", ".bin", ".pkl", ".pickle", ".tar"})
# a file named as a speaker list (`dev.speakers.txt`, `test_spk.list`, `SPEAKERS.TXT`); see readers/idlist.py
_SPEAKER_LIST = re2.compile(r"(?i)(^|[._-])(spk|spks|spkr|spkrs|speaker|speakers)[._-](txt|list|lst)$")

AUDIO_KINDS = frozenset({"mp3", "flac", "ogg", "mp4", "asf", "wav", "aiff", "ape"})

_SIGNATURES: tuple[tuple[bytes, int, str], ...] = (
    (b"fLaC", 0, "flac"),
    (b"OggS", 0, "ogg"),
    (b"ftyp", 4, "mp4"),
    (b"\x30\x26\xb2\x75\x8e\x66\xcf\x11", 0, "asf"),
    (b"MAC ", 0, "ape"),
    (b"APETAGEX", 0, "ape"),
    (b"wvpk", 0, "ape"),
    (b"\x1f\x8b", 0, "gzip"),
    (b"\x93NUMPY", 0, "npy"),
    (b"PK\x03\x04", 0, "zip"),
)


def classify(path: Path | str, head: bytes) -> str:
    """The kind of the file at `path`, whose first bytes are `head`."""
    name = os.path.basename(os.fspath(path))
    suffix = _suffix(name).lower()
    by_name = BY_SUFFIX.get(suffix)
    by_content = _signature_kind(head)
    if by_content == "zip":
        if suffix in _TORCH_ZIP or b"/data.pkl" in head[:512]:
            return "pickle"  # torch.save's zip format wraps a pickle (member `<name>/data.pkl`)
        return "npz" if suffix == ".npz" else "binary"
    if by_content == "id3":
        # ID3v2 also prefixes FLAC, WAV-in-disguise and AAC streams; trust a known audio suffix.
        return by_name if by_name in AUDIO_KINDS else "mp3"
    if by_content:
        return by_content
    if by_name in AUDIO_KINDS or by_name in {"npy", "npz", "gzip"}:
        # an audio/binary suffix without its signature: read it as text if it is text
        return "text" if _looks_like_text(head) else (by_name if by_name in {"mp3", "ape"} else "binary")
    if by_name in _TEXT_KINDS and _is_junk(head):
        return "binary"  # binary content under a text name: fail closed rather than read junk as latin-1
    if by_name in {None, "text"} and _SPEAKER_LIST.search(name):
        return "idlist"
    if by_name:
        return by_name
    if name in KALDI_NAMES:
        return "kaldi"
    if head.startswith(b"\x80") and suffix in {"", ".bin"}:
        return "pickle"
    return "text" if _looks_like_text(head) else "binary"


def _suffix(name: str) -> str:
    """PurePath(name).suffix for a file name, without building a Path (discovery classifies
    every file it finds)."""
    i = name.rfind(".")
    return name[i:] if 0 < i < len(name) - 1 else ""


def _signature_kind(head: bytes) -> str | None:
    if head.startswith(b"ID3"):
        return "id3"
    if head[:4] == b"RIFF" and head[8:12] in (b"WAVE", b"RF64"):
        return "wav"
    if head[:4] == b"RF64" or head[:4] == b"BW64":
        return "wav"
    if head[:4] == b"FORM" and head[8:12] in (b"AIFF", b"AIFC"):
        return "aiff"
    for magic, offset, kind in _SIGNATURES:
        if head[offset : offset + len(magic)] == magic:
            return kind
    if head.startswith(b"\xff\xfe") and _utf16le_text(head[2:]):
        return None  # a UTF-16LE byte-order mark, not an MPEG frame header (FF FE is both)
    if len(head) > 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0 and head[1] & 0x06:
        return "mp3"  # MPEG audio frame sync without ID3
    return None


def _utf16le_text(body: bytes) -> bool:
    """True when `body` decodes strictly as UTF-16LE without control characters.

    Audio data decoded as UTF-16 almost always hits an unpaired surrogate or a control code.
    """
    body = body[: len(body) // 2 * 2]
    if len(body) >= 2 and 0xD8 <= body[-1] <= 0xDB:  # do not cut a surrogate pair at the sniff limit
        body = body[:-2]
    try:
        text = body.decode("utf-16-le")
    except UnicodeDecodeError:
        return False
    return not any(ord(ch) < 32 and ch not in "\t\n\r\f" for ch in text)


# every byte except the control bytes 0-8 and 14-31: deleting these leaves the control bytes
_NOT_CONTROL = bytes(b for b in range(256) if not (b < 9 or 13 < b < 32))


def _control_bytes(head: bytes) -> int:
    """Number of bytes below 32 other than tab, newline, vertical tab, form feed and CR (in C)."""
    return len(head.translate(None, _NOT_CONTROL))


def _is_junk(head: bytes) -> bool:
    """Clearly binary: NUL bytes without a UTF-16 BOM, or more than 10% control bytes."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    return b"\x00" in head or _control_bytes(head) > len(head) // 10


def _looks_like_text(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return True
    if b"\x00" in head:
        return False
    return _control_bytes(head) <= len(head) // 100
