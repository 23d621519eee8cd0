"""Generate the benchmark workload: invented transcripts and tagged audio files, seeded and repeatable.

In: a size name and an output folder. Out: a folder tree
    text/   SRT, VTT, JSONL manifests, WhisperX JSON, RTTM, TextGrid and plain-text transcripts
    audio/  WAV (RIFF INFO + bext), MP3 (ID3v2), FLAC (Vorbis comments), M4A (MP4 ilst)
    sample/ a fixed slice of text/ that every competitor reads (the "same text")
    big.jsonl  one large manifest for the streaming-memory measurement
Everything is made up with Faker (seeded); PII density: about one line in eight carries an
e-mail, phone number, card number, IP address or name, speakers are mostly pseudonymous ids.
Audio containers are minimal but valid (mutagen reads them) with a few bytes of payload.
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import struct
from dataclasses import astuple, dataclass
from pathlib import Path

import yaml
from faker import Faker


@dataclass(frozen=True)
class Size:
    transcripts: int  # text files
    lines: int  # utterances per transcript (average)
    audio: int  # audio files
    sample_files: int  # text files in the competitors' sample
    big_mb: int  # size of big.jsonl


SIZES = {
    "small": Size(transcripts=350, lines=120, audio=2000, sample_files=70, big_mb=64),  # 400 audio: start-up bound
    "medium": Size(transcripts=10000, lines=20, audio=10000, sample_files=140, big_mb=256),  # 20,000-file tree
    "large": Size(transcripts=20000, lines=60, audio=20000, sample_files=210, big_mb=1024),
}
TEXT_FORMATS = ("srt", "vtt", "jsonl", "whisperx", "rttm", "textgrid", "txt")
AUDIO_FORMATS = ("wav", "mp3", "flac", "m4a")
SEED = 20240601


class Utterances:
    """Invented speech with a realistic sprinkling of identifiers."""

    def __init__(self, seed: int, first_label: int = 0) -> None:
        self.fake = Faker("en_US")
        self.fake.seed_instance(seed)
        self.rng = random.Random(seed)
        self.names = [self.fake.name() for _ in range(200)]
        self.first_label = first_label  # pseudonymous labels are spk_<first_label + 0..9999>

    def speaker(self) -> str:
        if self.rng.random() < 0.08:
            return self.rng.choice(self.names)
        return f"spk_{self.first_label + self.rng.randrange(10000):04d}"

    def text(self) -> str:
        words = self.fake.sentence(nb_words=self.rng.randint(6, 22)).rstrip(".")
        if self.rng.random() < 0.125:
            pii = self.rng.choice((
                lambda: f"you can email me at {self.fake.email()}",
                lambda: f"my number is {self.fake.numerify('(###) 555-####')}",
                lambda: f"the card was {self.fake.credit_card_number()}",
                lambda: f"the server is at {self.fake.ipv4_public()}",
                lambda: f"this is {self.rng.choice(self.names)} speaking",
            ))()
            words = f"{words} {pii}" if self.rng.random() < 0.5 else f"{pii} {words}"
        return words + "."


def generate(size_name: str, root: Path) -> dict[str, int]:
    """Write the workload for `size_name` under `root` (skipped if complete for these sizes)."""
    size = SIZES[size_name]
    stamp = root / "COMPLETE.json"
    wanted = {"size": list(astuple(size)), "seed": SEED}
    if stamp.is_file():
        done = json.loads(stamp.read_text())
        if {k: done.get(k) for k in wanted} == wanted:
            return dict(done["counts"])
        shutil.rmtree(root)  # written for other sizes: start again, the generator is seeded
    u = Utterances(SEED)
    counts: dict[str, int] = {}
    text_dir, sample_dir, audio_dir = root / "text", root / "sample", root / "audio"
    for folder in (text_dir, sample_dir, audio_dir):
        folder.mkdir(parents=True, exist_ok=True)
    for i in range(size.transcripts):
        fmt = TEXT_FORMATS[i % len(TEXT_FORMATS)]
        n = max(4, int(u.rng.gauss(size.lines, size.lines / 4)))
        name = f"{i // 500:03d}/rec{i:06d}.{_suffix(fmt)}"
        data = WRITERS[fmt](u, n)
        _write(text_dir / name, data)
        if i < size.sample_files:
            _write(sample_dir / name, data)
        counts[fmt] = counts.get(fmt, 0) + 1
    for i in range(size.audio):
        fmt = AUDIO_FORMATS[i % len(AUDIO_FORMATS)]
        path = audio_dir / f"{i // 1000:03d}/take{i:06d}.{fmt}"
        path.parent.mkdir(parents=True, exist_ok=True)
        AUDIO_WRITERS[fmt](path, u)
        counts[fmt] = counts.get(fmt, 0) + 1
    _big_jsonl(root / "big.jsonl", size.big_mb, u)
    stamp.write_text(json.dumps({**wanted, "counts": counts}, sort_keys=True))
    return counts


SLOPE_FILES = 40_000  # the memory-slope tree: past the point where the bounded memos are full
SLOPE_SEED = SEED + 1


def slope_tree(root: Path, files: int = SLOPE_FILES) -> Path:
    """`root`, filled (once) with `files` distinct transcripts of ~20 lines in folders of 500.

    For the memory row: peak RSS over the first half of its folders against all of them.
    Every file has new text, so the per-text memos keep turning over as in a real corpus
    (hard links to one tree would hit them instead).
    """
    stamp = root / "COMPLETE.json"
    wanted = {"files": files, "seed": SLOPE_SEED}
    if stamp.is_file() and json.loads(stamp.read_text()) == wanted:
        return root
    shutil.rmtree(root, ignore_errors=True)
    u = Utterances(SLOPE_SEED)
    for i in range(files):
        fmt = TEXT_FORMATS[i % len(TEXT_FORMATS)]
        _write(root / f"{i // 500:03d}/rec{i:06d}.{_suffix(fmt)}", WRITERS[fmt](u, max(4, int(u.rng.gauss(20, 5)))))
    stamp.write_text(json.dumps(wanted, sort_keys=True))
    return root


WARMUP_SEED = SEED + 2
# utterances per text format: enough that what a run compiles or loads on first use (RE2's DFA
# states, phonenumbers' per-region patterns) is done before the timed pass; see warmup_folder
WARMUP_LINES = 500
WARMUP_FIRST_LABEL = 10_000  # warm-up speaker labels spk_10000..19999: none is a timed label


def warmup_folder(root: Path) -> Path:
    """`root`/files, filled (once) with one transcript of WARMUP_LINES utterances per text format,
    of other invented text than the workload's (another seed), and `examples.txt`: one line
    per example of the bundled rules (`rule_examples`).

    Every engine processes it before its timed pass, so that what is loaded or compiled on
    first use (patterns, phone-number metadata, a model's caches) counts as setup for all of
    them alike, and none of the timed text has been seen before: another seed, and speaker
    labels from another range, so no memo of a label seen in the warm-up answers in the
    timed pass. The examples make sure every kind of value has been met once: without them,
    a kind the seeded transcripts happen to lack (a street address, say) is first met in the
    timed pass, where RE2 then compiles that pattern's reverse program (up to a tenth of the
    pass). The size: with 120 utterances a format, speechgate's timed pass over the medium
    sample still built RE2 DFA states and compiled phonenumbers' patterns for a dozen more
    regions (696M instructions, callgrind); with 500, 644M. 500 keeps the competitors'
    warm-up short (Presidio with spaCy: about 30 s a run).
    """
    stamp, folder = root / "COMPLETE.json", root / "files"
    examples = rule_examples()
    wanted = {"lines": WARMUP_LINES, "seed": WARMUP_SEED, "formats": list(TEXT_FORMATS),
              "first_label": WARMUP_FIRST_LABEL,
              "examples": hashlib.sha256("\n".join(examples).encode()).hexdigest()}
    if stamp.is_file() and json.loads(stamp.read_text()) == wanted:
        return folder
    shutil.rmtree(root, ignore_errors=True)
    u = Utterances(WARMUP_SEED, first_label=WARMUP_FIRST_LABEL)
    for fmt in TEXT_FORMATS:
        _write(folder / f"warmup.{_suffix(fmt)}", WRITERS[fmt](u, WARMUP_LINES))
    _write(folder / "examples.txt", "".join(line + "\n" for line in examples))
    stamp.write_text(json.dumps(wanted, sort_keys=True))
    return folder


def rule_examples() -> list[str]:
    """The text of every example (`match` and `no_match`) in speechgate's bundled rule files,
    one line each (invented values written for the rules' own tests)."""
    from speechgate.rule_files import rule_files

    lines = []
    for path in rule_files():
        for rule in yaml.safe_load(path.read_text(encoding="utf-8"))["rules"]:
            for example in (*rule["examples"].get("match", ()), *rule["examples"].get("no_match", ())):
                text = example if isinstance(example, str) else example.get("text", "")
                if text.strip():
                    lines.append(" ".join(text.split()))
    return lines


def _suffix(fmt: str) -> str:
    return {"whisperx": "json", "textgrid": "TextGrid"}.get(fmt, fmt)


def _write(path: Path, data: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(data, encoding="utf-8")


def _stamp(seconds: float, sep: str) -> str:
    ms = int(seconds * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def _segments(u: Utterances, n: int) -> list[tuple[float, float, str, str]]:
    t = 0.0
    out = []
    for _ in range(n):
        dur = round(u.rng.uniform(1.0, 6.0), 2)
        out.append((t, t + dur, u.speaker(), u.text()))
        t += dur + round(u.rng.uniform(0.1, 0.8), 2)
    return out


def _srt(u: Utterances, n: int) -> str:
    return "".join(
        f"{i}\n{_stamp(a, ',')} --> {_stamp(b, ',')}\n{text}\n\n"
        for i, (a, b, _, text) in enumerate(_segments(u, n), start=1)
    )


def _vtt(u: Utterances, n: int) -> str:
    cues = "".join(f"{_stamp(a, '.')} --> {_stamp(b, '.')}\n<v {spk}>{text}\n\n" for a, b, spk, text in _segments(u, n))
    return "WEBVTT\n\n" + cues


def _jsonl(u: Utterances, n: int) -> str:
    rows = []
    for i, (a, b, spk, text) in enumerate(_segments(u, n)):
        rows.append(json.dumps({"audio_filepath": f"audio/utt_{i:05d}.wav", "duration": round(b - a, 2),
                                "offset": a, "speaker": spk, "text": text}))
    return "\n".join(rows) + "\n"


def _whisperx(u: Utterances, n: int) -> str:
    segments = [{"start": a, "end": b, "speaker": spk, "text": text} for a, b, spk, text in _segments(u, n)]
    return json.dumps({"segments": segments, "language": "en"}, indent=1)


def _rttm(u: Utterances, n: int) -> str:
    return "".join(
        f"SPEAKER rec 1 {a:.2f} {b - a:.2f} <NA> <NA> {spk.replace(' ', '_')} <NA> <NA>\n"
        for a, b, spk, _ in _segments(u, n)
    )


def _textgrid(u: Utterances, n: int) -> str:
    segs = _segments(u, n)
    end = segs[-1][1]
    items = "".join(
        f"        intervals [{i}]:\n            xmin = {a}\n            xmax = {b}\n"
        f'            text = "{text}"\n'
        for i, (a, b, _, text) in enumerate(segs, start=1)
    )
    return (
        'File type = "ooTextFile"\nObject class = "TextGrid"\n\nxmin = 0\n'
        f"xmax = {end}\ntiers? <exists>\nsize = 1\nitem []:\n    item [1]:\n"
        f'        class = "IntervalTier"\n        name = "{segs[0][2]}"\n        xmin = 0\n'
        f"        xmax = {end}\n        intervals: size = {len(segs)}\n{items}"
    )


def _txt(u: Utterances, n: int) -> str:
    return "".join(f"{u.text()}\n" for _ in range(n))


WRITERS = {"srt": _srt, "vtt": _vtt, "jsonl": _jsonl, "whisperx": _whisperx, "rttm": _rttm,
           "textgrid": _textgrid, "txt": _txt}


# -- audio: minimal valid containers -------------------------------------------------------

def _tags(u: Utterances) -> dict[str, str]:
    tags = {"title": u.fake.sentence(nb_words=4).rstrip("."), "artist": u.speaker(), "album": "Interviews"}
    if u.rng.random() < 0.3:
        tags["comment"] = u.text()
    return tags


def _chunk(cid: bytes, data: bytes) -> bytes:
    pad = b"\0" if len(data) % 2 else b""
    return cid + struct.pack("<I", len(data)) + data + pad


def _wav(path: Path, u: Utterances) -> None:
    tags = _tags(u)
    fmt = struct.pack("<HHIIHH", 1, 1, 16000, 32000, 2, 16)
    info = b"INFO" + b"".join(
        _chunk(cid, value.encode() + b"\0")
        for cid, value in ((b"INAM", tags["title"]), (b"IART", tags["artist"]), (b"ICMT", tags.get("comment", "")))
        if value
    )
    bext = (tags["title"].encode()[:256].ljust(256, b"\0") + tags["artist"].encode()[:32].ljust(32, b"\0")
            + b"REF0001".ljust(32, b"\0") + b"2024-01-01" + b"12:00:00" + bytes(8) + struct.pack("<H", 1)
            + bytes(64) + bytes(190))
    body = b"WAVE" + _chunk(b"fmt ", fmt) + _chunk(b"bext", bext) + _chunk(b"LIST", info) + _chunk(b"data", bytes(3200))
    path.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)


def _mp3(path: Path, u: Utterances) -> None:
    from mutagen.id3 import COMM, ID3, TALB, TIT2, TPE1

    frame = b"\xff\xfb\x90\x64" + bytes(413)  # MPEG-1 layer III, 128 kbit/s, 44.1 kHz
    path.write_bytes(frame * 4)
    tags = _tags(u)
    id3 = ID3()
    id3.add(TIT2(encoding=3, text=tags["title"]))
    id3.add(TPE1(encoding=3, text=tags["artist"]))
    id3.add(TALB(encoding=3, text=tags["album"]))
    if "comment" in tags:
        id3.add(COMM(encoding=3, lang="eng", desc="", text=tags["comment"]))
    id3.save(path)


def _flac(path: Path, u: Utterances) -> None:
    from mutagen.flac import FLAC

    # STREAMINFO: block sizes, frame sizes, 16 kHz / 1 channel / 16 bit / 1600 samples, MD5
    packed = (16000 << 44) | (0 << 41) | (15 << 36) | 1600
    streaminfo = struct.pack(">HH", 4096, 4096) + bytes(6) + packed.to_bytes(8, "big") + bytes(16)
    path.write_bytes(b"fLaC" + bytes([0x80]) + len(streaminfo).to_bytes(3, "big") + streaminfo)
    audio = FLAC(path)
    audio.add_tags()
    for key, value in _tags(u).items():
        audio[key] = value
    audio.save()


def _m4a(path: Path, u: Utterances) -> None:
    from mutagen.mp4 import MP4

    def atom(name: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data) + 8) + name + data

    matrix = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
    mvhd = atom(b"mvhd", bytes(4) + struct.pack(">IIII", 0, 0, 1000, 100) + struct.pack(">IH", 0x10000, 0x100)
                + bytes(10) + matrix + bytes(24) + struct.pack(">I", 2))
    path.write_bytes(atom(b"ftyp", b"M4A \0\0\0\0M4A isom") + atom(b"moov", mvhd) + atom(b"mdat", bytes(2048)))
    audio = MP4(path)
    audio.add_tags()
    tags = _tags(u)
    audio["\xa9nam"] = tags["title"]
    audio["\xa9ART"] = tags["artist"]
    audio["\xa9alb"] = tags["album"]
    if "comment" in tags:
        audio["\xa9cmt"] = tags["comment"]
    audio.save()


AUDIO_WRITERS = {"wav": _wav, "mp3": _mp3, "flac": _flac, "m4a": _m4a}


def _big_jsonl(path: Path, megabytes: int, u: Utterances) -> None:
    """A manifest of `megabytes` MB, written from a pool of invented rows (fast, still varied)."""
    pool = [row for row in _jsonl(u, 4000).splitlines()]
    target = megabytes << 20
    written = 0
    with path.open("w", encoding="utf-8") as handle:
        block = 0
        while written < target:
            u.rng.shuffle(pool)
            chunk = "\n".join(pool) + "\n"
            handle.write(chunk)
            written += len(chunk.encode())
            block += 1


def main() -> None:
    """`python bench/workload.py big-jsonl PATH MB`: one invented manifest of MB megabytes (the
    1 GB streaming measurement: `/usr/bin/time -v speechgate check PATH --no-cache -j 1 -q`)."""
    import sys

    if len(sys.argv) != 4 or sys.argv[1] != "big-jsonl":
        raise SystemExit(main.__doc__)
    _big_jsonl(Path(sys.argv[2]), int(sys.argv[3]), Utterances(SEED))


if __name__ == "__main__":
    main()
