"""Audio metadata through mutagen: ID3v2 (MP3, and the ID3 chunks of WAV/AIFF), Vorbis
comments (Ogg Vorbis/Opus/Speex, FLAC), MP4 `ilst` atoms incl. `----:com.apple.iTunes:*`
freeform keys, ASF attributes and APEv2. Only headers are read, never the audio payload.

In: an MP3/Ogg/ASF/APE artifact (`read`), or a mutagen tag object (`tag_fields`, used by
the RIFF, AIFF, MP4 and FLAC readers). Out: TAG fields named and located as `ID3:TPE1`,
`ID3:TXXX:<desc>`, `ID3:TIPL:<role>`, `vorbis:ARTIST`, `MP4:©ART`, `ASF:Author`,
`APE:Artist`; MP3 files also get the ID3v1/Lyrics3 trailers (see `audio_trailers`) and an
APEv2 tag left at the end. Pictures become one BINARY field "picture <mime> <n> bytes"
(never the bytes); PRIV frames are described by their owner, UFID by owner and hex id.
"""
from __future__ import annotations

import base64
import struct
from collections.abc import Iterator
from typing import Any

from speechgate.errors import Unscannable
from speechgate.model import Artifact, Field, Note, Role
from speechgate.readers import audio_trailers

MAX_VALUE = 1 << 16
_PARSE_ERRORS = (ValueError, IndexError, KeyError, EOFError, OverflowError, struct.error)


def read(artifact: Artifact) -> Iterator[Field | Note]:
    """MP3 (ID3v2 plus the ID3v1, Lyrics3 and APEv2 trailers), Ogg, ASF and APEv2 files."""
    if artifact.kind == "mp3":
        yield from _mp3_fields(artifact)
        return
    if artifact.kind == "ape" and _is_bare_apev2(artifact):
        yield from _apev2_fields(artifact)
        return
    yield from mutagen_fields(artifact)
    if artifact.kind == "ape":
        yield from audio_trailers.read(artifact)


def mutagen_fields(artifact: Artifact) -> Iterator[Field]:
    """The tags mutagen finds in a file of any family; a parse failure makes it unscannable."""
    import mutagen

    opener: Any = mutagen.File
    if artifact.kind == "mp4":  # skip mutagen.File's probing of every format
        from mutagen.mp4 import MP4 as opener
    elif artifact.kind == "asf":
        from mutagen.asf import ASF as opener
    try:
        audio = opener(artifact.path)
    except (mutagen.MutagenError, *_PARSE_ERRORS) as exc:
        raise Unscannable(f"audio container could not be parsed ({type(exc).__name__})") from None
    if audio is None:
        raise Unscannable(f"not a recognised {artifact.kind} container")
    if audio.tags is not None:
        yield from tag_fields(audio.tags)


def _mp3_fields(artifact: Artifact) -> Iterator[Field | Note]:
    """ID3v2 via mutagen (without its ID3v1 merge: ID3v1 is read as its own fields), then the
    trailers that survive an ID3 delete: APEv2, Lyrics3 and ID3v1."""
    import mutagen
    from mutagen.mp3 import MP3

    try:
        tags = MP3(artifact.path, load_v1=False).tags
    except (mutagen.MutagenError, *_PARSE_ERRORS) as exc:
        tags = _id3_only(artifact, f"MP3 stream could not be parsed ({type(exc).__name__})")
        yield Note("no MPEG audio frames found after the ID3 tag; only the tags were read")
    if tags is not None:
        yield from tag_fields(tags)
    yield from _apev2_fields(artifact, required=False)
    yield from audio_trailers.read(artifact)


def _id3_only(artifact: Artifact, reason: str) -> Any:
    """The ID3v2 tag of a file whose MPEG stream mutagen rejects (cut, or AAC/other data under
    an ID3 tag): its metadata is still readable. Without a readable tag it is unscannable."""
    from mutagen.id3 import ID3

    try:
        return ID3(artifact.path, load_v1=False)
    except Exception:  # no tag or a corrupt one: report the stream problem
        raise Unscannable(reason) from None


def _is_bare_apev2(artifact: Artifact) -> bool:
    with artifact.path.open("rb") as fh:
        return fh.read(8) == b"APETAGEX"


def _apev2_fields(artifact: Artifact, required: bool = True) -> Iterator[Field]:
    from mutagen.apev2 import APENoHeaderError, APEv2

    try:
        tags = APEv2(artifact.path)
    except APENoHeaderError:
        if required:
            raise Unscannable("APEv2 tag header not found") from None
        return
    except Exception as exc:  # mutagen raises several types on corrupt items
        raise Unscannable(f"APEv2 tag could not be parsed ({type(exc).__name__})") from None
    yield from tag_fields(tags)


def tag_fields(tags: Any) -> Iterator[Field]:
    """Fields for a mutagen tag object of any family."""
    from mutagen.apev2 import APEv2
    from mutagen.asf import ASFTags
    from mutagen.id3 import ID3
    from mutagen.mp4 import MP4Tags

    if isinstance(tags, ID3):
        for frame in tags.values():
            yield from _id3_frame(frame)
    elif isinstance(tags, MP4Tags):
        for key, values in tags.items():
            yield from _mp4_item(key, values)
    elif isinstance(tags, ASFTags):
        for key in sorted(tags.keys()):  # ASFTags keys come from a set: sort for a stable order
            yield from _asf_item(key, tags[key])
    elif isinstance(tags, APEv2):
        for key, value in tags.items():
            yield from _ape_item(key, value)
    else:  # Vorbis comments (FLAC, Ogg Vorbis/Opus/Speex/FLAC)
        for key, value in tags:
            yield from _vorbis_item(key, value)


def _field(tag: str, text: str, role: Role = Role.TAG) -> Field:
    return Field(text[:MAX_VALUE], role, {"tag": tag}, name=tag)


def _id3_frame(frame: Any) -> Iterator[Field]:
    fid = frame.FrameID
    if fid in ("APIC", "PIC"):
        yield _field(f"ID3:{fid}", f"picture {frame.mime or 'image'} {len(frame.data)} bytes", Role.BINARY)
        return
    if fid == "PRIV":
        yield _field("ID3:PRIV", frame.owner, Role.TAG)
        return
    if fid == "GEOB":
        yield _field("ID3:GEOB", " ".join(filter(None, (frame.filename, frame.desc))))
        return
    if fid == "POPM":
        yield _field("ID3:POPM", frame.email)
        return
    if fid == "UFID":
        yield _field("ID3:UFID", f"{frame.owner} {frame.data.hex()}")
        return
    if fid == "TXXX":
        name = f"ID3:TXXX:{frame.desc}"
        for text in frame.text:
            yield _field(name, str(text))
        return
    if fid == "WXXX" or fid.startswith("W"):
        yield _field(f"ID3:{fid}", frame.url)
        return
    if fid in ("COMM", "USLT"):
        yield _field(f"ID3:{fid}", str(frame.text) if fid == "USLT" else " ".join(map(str, frame.text)))
        return
    if fid == "SYLT":
        yield _field("ID3:SYLT", " ".join(text for text, _ in frame.text))
        return
    if fid in ("TIPL", "TMCL", "IPLS"):
        for role, person in frame.people:
            yield _field(f"ID3:{fid}:{role}", person)
        return
    if fid in ("CHAP", "CTOC"):
        for sub in frame.sub_frames.values():
            yield from _id3_frame(sub)
        return
    text = getattr(frame, "text", None)
    if text is not None:
        for value in text:
            yield _field(f"ID3:{fid}", str(value))


def _mp4_item(key: str, values: Any) -> Iterator[Field]:
    from mutagen.mp4 import MP4Cover, MP4FreeForm

    tag = f"MP4:{key}"
    for value in values if isinstance(values, list) else [values]:
        if isinstance(value, MP4Cover):
            mime = "image/png" if value.imageformat == MP4Cover.FORMAT_PNG else "image/jpeg"
            yield _field(tag, f"picture {mime} {len(value)} bytes", Role.BINARY)
        elif isinstance(value, MP4FreeForm | bytes):
            yield _field(tag, bytes(value).decode("utf-8", "replace"))
        elif isinstance(value, str):
            yield _field(tag, value)


def _asf_item(key: str, values: Any) -> Iterator[Field]:
    for value in values if isinstance(values, list) else [values]:
        inner = getattr(value, "value", value)
        if isinstance(inner, bytes):
            yield _field(f"ASF:{key}", f"binary {len(inner)} bytes", Role.BINARY)
        else:
            yield _field(f"ASF:{key}", str(inner))


def _ape_item(key: str, value: Any) -> Iterator[Field]:
    from mutagen.apev2 import BINARY

    if value.kind == BINARY:
        yield _field(f"APE:{key}", f"binary {len(value.value)} bytes", Role.BINARY)
    else:
        for text in str(value).split("\0"):
            yield _field(f"APE:{key}", text)


def _vorbis_item(key: str, value: str) -> Iterator[Field]:
    upper = key.upper()
    if upper == "METADATA_BLOCK_PICTURE":
        from speechgate.readers.flac_blocks import picture_fields

        try:
            data = base64.b64decode(value, validate=False)
        except ValueError:
            raise Unscannable("METADATA_BLOCK_PICTURE is not valid base64") from None
        yield from picture_fields(data, "vorbis:METADATA_BLOCK_PICTURE")
        return
    if upper == "COVERART":  # the pre-standard base64 picture comment
        yield _field("vorbis:COVERART", f"picture image {len(value) * 3 // 4} bytes", Role.BINARY)
        return
    yield _field(f"vorbis:{upper}", value)
