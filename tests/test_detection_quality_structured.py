"""Detection quality of the structured and spoken PII rules on a generated, labelled set.

Sentences are generated with Faker and a fixed seed in three speech styles (cased text,
lowercase ASR without punctuation, LibriSpeech-style UPPERCASE) with written and spoken
phones, e-mails, cards, IBANs, SSNs, addresses and dates of birth embedded at known spans.
Hard negatives: clean sentences full of numbers (years, durations, timestamps, versions,
scores, counting), 1,000 random LibriSpeech utterance ids (bare and as transcript lines) and
2,000 LibriSpeech-style UPPERCASE lines of random English words (Faker), some with numbers.

Recall counts a positive as found when a finding of the right category overlaps the
embedded span. Floors below are what the rules reach on this set, minus a small margin.
Run `python tests/test_detection_quality_structured.py` to print the table.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache

import phonenumbers
import pytest

from speechgate.model import Category, Field, Role
from speechgate.rules import Rule, load_rules, rule_files

SEED = 20261125
N_PER_CATEGORY = 300
STYLES = ("cased", "lower", "upper")
MINE = frozenset({
    Category.PHONE, Category.EMAIL, Category.FINANCIAL, Category.GOVERNMENT_ID, Category.POSTAL_ADDRESS,
    Category.DATE_OF_BIRTH, Category.GEOLOCATION, Category.NETWORK_ID, Category.ONLINE_IDENTIFIER,
})
MIN_CONFIDENCE = 0.3
MY_NAME_RULES = frozenset({"spoken-spelled-name"})  # person names are part B's; spelled-out ones are ours

DIGIT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
TEENS = ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
         "nineteen")
TENS = {2: "twenty", 3: "thirty", 4: "forty", 5: "fifty", 6: "sixty", 7: "seventy", 8: "eighty", 9: "ninety"}
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
            "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
            "eighteenth", "nineteenth", "twentieth")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
STREET_TYPES = ("street", "road", "avenue", "lane", "drive", "boulevard", "court", "St", "Rd", "Ave", "Dr")
US_AREAS = ("212", "213", "305", "312", "404", "415", "503", "617", "646", "702", "713", "718", "801",
            "917", "206", "303", "512", "602", "614", "919")


@dataclass(frozen=True)
class Sample:
    text: str
    category: Category | None  # None: a hard negative
    span: tuple[int, int] = (0, 0)
    label: str = ""  # sub-category for the report, e.g. "phone/spoken"
    style: str = "cased"


# ---------------------------------------------------------------- speaking numbers


def two_digit_words(pair: str) -> str:
    n = int(pair)
    if pair[0] == "0":
        return f"oh {DIGIT_WORDS[n]}"
    if n < 10:
        return DIGIT_WORDS[n]
    if n < 20:
        return TEENS[n - 10]
    return TENS[n // 10] + ("" if n % 10 == 0 else " " + DIGIT_WORDS[n % 10])


def speak_digits(digits: str, rng: random.Random) -> str:
    """Read a digit string aloud the ways people do: digit by digit with "oh", doubles, pairs."""
    words: list[str] = []
    i = 0
    pairs = rng.random() < 0.3
    while i < len(digits):
        d = digits[i]
        if d == "+":
            words.append("plus")
            i += 1
            continue
        run = 1
        while i + run < len(digits) and digits[i + run] == d and run < 3:
            run += 1
        if run >= 2 and rng.random() < 0.6:
            word = "oh" if d == "0" and rng.random() < 0.5 else DIGIT_WORDS[int(d)]
            words.append(("double " if run == 2 else "triple ") + word)
            i += run
            continue
        # pairs like "fifty" + "nine" would be heard as 59 by anyone, so only pairs not ending in 0
        if pairs and i + 1 < len(digits) and digits[i] != "0" and digits[i + 1] not in "+0" and rng.random() < 0.5:
            words.append(two_digit_words(digits[i:i + 2]))
            i += 2
            continue
        words.append("oh" if d == "0" and rng.random() < 0.5 else DIGIT_WORDS[int(d)])
        i += 1
    return " ".join(words)


def speak_year(year: int) -> str:
    return f"{two_digit_words(str(year)[:2])} {two_digit_words(str(year)[2:])}".replace("oh ", "oh ")


def speak_house(number: int) -> str:
    s = str(number)
    if len(s) <= 2:
        return two_digit_words(s) if len(s) == 2 else DIGIT_WORDS[number]
    if len(s) == 3:
        return f"{DIGIT_WORDS[int(s[0])]} {two_digit_words(s[1:])}"
    return f"{two_digit_words(s[:2])} {two_digit_words(s[2:])}"


# ---------------------------------------------------------------- entity generators


def us_phone(rng: random.Random) -> str:
    while True:
        digits = f"{rng.choice(US_AREAS)}{rng.randint(200, 999)}{rng.randint(0, 9999):04d}"
        if phonenumbers.is_valid_number(phonenumbers.parse(digits, "US")):
            return digits


def gb_phone(rng: random.Random) -> str:
    while True:
        digits = rng.choice(("020 7946 0", "0161 496 0", "0113 496 0", "0131 496 0")) + f"{rng.randint(0, 999):03d}"
        if phonenumbers.is_valid_number(phonenumbers.parse(digits, "GB")):
            return digits


def written_phone(rng: random.Random) -> str:
    if rng.random() < 0.25:
        number = gb_phone(rng)
        return rng.choice((number, "+44 " + number[1:]))
    d = us_phone(rng)
    return rng.choice((f"({d[:3]}) {d[3:6]}-{d[6:]}", f"{d[:3]}-{d[3:6]}-{d[6:]}", f"{d[:3]}.{d[3:6]}.{d[6:]}",
                       f"+1 {d[:3]} {d[3:6]} {d[6:]}", f"{d[:3]} {d[3:6]} {d[6:]}"))


def spoken_phone(rng: random.Random) -> str:
    if rng.random() < 0.2:
        return speak_digits(gb_phone(rng).replace(" ", ""), rng)
    if rng.random() < 0.2:
        return speak_digits("555" + f"{rng.randint(100, 199):04d}", rng)  # local fictitious 555-01xx
    return speak_digits(us_phone(rng), rng)


def luhn_complete(prefix: str, length: int, rng: random.Random) -> str:
    body = prefix + "".join(str(rng.randint(0, 9)) for _ in range(length - len(prefix) - 1))
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return body + str((10 - total % 10) % 10)


def card_digits(rng: random.Random) -> str:
    prefix, length = rng.choice((("4", 16), ("51", 16), ("55", 16), ("2221", 16), ("34", 15), ("37", 15),
                                 ("6011", 16), ("3530", 16)))
    return luhn_complete(prefix, length, rng)


def written_card(rng: random.Random) -> str:
    d = card_digits(rng)
    if len(d) == 15:
        return rng.choice((d, f"{d[:4]} {d[4:10]} {d[10:]}"))
    sep = rng.choice((" ", "-", ""))
    return sep.join(d[i:i + 4] for i in range(0, 16, 4))


def spoken_card(rng: random.Random) -> str:
    d = card_digits(rng)
    return ", ".join(speak_digits(d[i:i + 4], rng) for i in range(0, len(d), 4))


def ssn_digits(rng: random.Random) -> str:
    while True:
        area = rng.randint(1, 899)
        if area != 666:
            return f"{area:03d}{rng.randint(1, 99):02d}{rng.randint(1, 9999):04d}"


def written_ssn(rng: random.Random) -> str:
    d = ssn_digits(rng)
    return rng.choice((f"{d[:3]}-{d[3:5]}-{d[5:]}", f"{d[:3]} {d[3:5]} {d[5:]}"))


def iban(fakers: dict[str, object], rng: random.Random) -> str:
    value = fakers[rng.choice(sorted(fakers))].iban()  # type: ignore[attr-defined]
    if rng.random() < 0.5:
        return " ".join(value[i:i + 4] for i in range(0, len(value), 4))
    return value


# ---------------------------------------------------------------- the labelled set


def styled(prefix: str, entity: str, suffix: str, style: str) -> tuple[str, tuple[int, int]]:
    def strip(text: str) -> str:
        return "".join(ch for ch in text if ch.isalnum() or ch.isspace() or ch == "'")

    if style == "lower":
        prefix, entity, suffix = strip(prefix).lower(), entity.lower(), strip(suffix).lower()
    elif style == "upper":
        prefix, entity, suffix = strip(prefix).upper(), entity.upper(), strip(suffix).upper()
    return prefix + entity + suffix, (len(prefix), len(prefix) + len(entity))


PHONE_TEMPLATES = (("You can reach me at ", "."), ("My number is ", ", thanks."), ("Call ", " after six."),
                   ("", " is the best one to try."), ("Leave a message on ", " tomorrow."))
CARD_TEMPLATES = (("My card number is ", "."), ("It's ", ", expiry next May."), ("Charge it to ", " please."))
SSN_TEMPLATES = (("My social security number is ", "."), ("SSN ", " on file."),
                 ("Her social is ", ", I think."))
EMAIL_TEMPLATES = (("Email me at ", " tonight."), ("My address is ", "."), ("", " is my work email."))
ADDR_TEMPLATES = (("I live at ", " in the city."), ("Send it to ", ", please."), ("We moved to ", " last year."))
DOB_TEMPLATES = (("I was born on ", "."), ("Date of birth ", ", confirmed."), ("DOB: ", "."),
                 ("My birthday is ", " and I was born in the north."))
SPELL_TEMPLATES = (("That's ", "."), ("My name is spelled ", ", okay?"), ("It's ", " with no space."),
                   ("Surname ", ", as in the letters."))
IBAN_TEMPLATES = (("Please pay to ", " by Friday."), ("My IBAN is ", "."), ("Account ", " for refunds."))


def positives(rng: random.Random) -> Iterator[Sample]:
    from faker import Faker

    fake = Faker("en_US")
    fake.seed_instance(SEED)
    fakers = {loc: Faker(loc) for loc in ("de_DE", "en_GB", "fr_FR", "nl_NL", "es_ES")}
    for i, f in enumerate(fakers.values()):
        f.seed_instance(SEED + i)

    def emit(label: str, category: Category, templates: tuple[tuple[str, str], ...],
             make: Callable[[], str]) -> Iterator[Sample]:
        for n in range(N_PER_CATEGORY):
            prefix, suffix = rng.choice(templates)
            text, span = styled(prefix, make(), suffix, STYLES[n % 3])
            yield Sample(text, category, span, label, STYLES[n % 3])

    def spoken_email() -> str:
        local = rng.choice((f"{fake.first_name()} dot {fake.last_name()}",
                            fake.user_name().replace("_", " underscore "),
                            f"{fake.first_name()[0]} {fake.last_name()}".replace(" ", "")))
        domain = rng.choice((fake.free_email_domain(), fake.domain_name()))
        return f"{local} at {domain.replace('.', ' dot ')}".lower()

    def dob_written() -> str:
        d = fake.date_of_birth(minimum_age=18, maximum_age=90)
        return rng.choice((d.strftime("%m/%d/%Y"), d.isoformat(), f"{d.day} {MONTHS[d.month - 1].title()} {d.year}",
                           f"{MONTHS[d.month - 1].title()} {d.day}, {d.year}"))

    def dob_spoken() -> str:
        d = fake.date_of_birth(minimum_age=18, maximum_age=90)
        day = ORDINALS[d.day - 1] if d.day <= 20 else (
            TENS[d.day // 10] + ("ieth" if d.day % 10 == 0 else " " + ORDINALS[d.day % 10 - 1])
        ).replace("tyieth", "tieth")
        return rng.choice((f"the {day} of {MONTHS[d.month - 1]} {speak_year(d.year)}",
                           f"{MONTHS[d.month - 1]} the {day} {speak_year(d.year)}",
                           f"{MONTHS[d.month - 1]} {day} {speak_year(d.year)}"))

    def street() -> tuple[int, str]:
        name = rng.choice((fake.last_name(), fake.first_name(), fake.city()))
        return rng.randint(1, 9999), f"{name} {rng.choice(STREET_TYPES)}"

    def addr_written() -> str:
        number, name = street()
        return f"{number} {name}"

    def addr_spoken() -> str:
        number, name = street()
        return f"{speak_house(number)} {name}"

    yield from emit("phone/written", Category.PHONE, PHONE_TEMPLATES, lambda: written_phone(rng))
    yield from emit("phone/spoken", Category.PHONE, PHONE_TEMPLATES, lambda: spoken_phone(rng))
    yield from emit("phone/asr-digits", Category.PHONE, PHONE_TEMPLATES, lambda: " ".join(us_phone(rng)))
    yield from emit("email/written", Category.EMAIL, EMAIL_TEMPLATES, fake.email)
    yield from emit("email/spoken", Category.EMAIL, EMAIL_TEMPLATES, spoken_email)
    yield from emit("card/written", Category.FINANCIAL, CARD_TEMPLATES, lambda: written_card(rng))
    yield from emit("card/spoken", Category.FINANCIAL, CARD_TEMPLATES, lambda: spoken_card(rng))
    yield from emit("iban/written", Category.FINANCIAL, IBAN_TEMPLATES, lambda: iban(fakers, rng))
    yield from emit("ssn/written", Category.GOVERNMENT_ID, SSN_TEMPLATES,
                    lambda: written_ssn(rng))
    yield from emit("ssn/spoken", Category.GOVERNMENT_ID, SSN_TEMPLATES, lambda: speak_digits(ssn_digits(rng), rng))
    yield from emit("address/written", Category.POSTAL_ADDRESS, ADDR_TEMPLATES, addr_written)
    yield from emit("address/spoken", Category.POSTAL_ADDRESS, ADDR_TEMPLATES, addr_spoken)
    yield from emit("dob/written", Category.DATE_OF_BIRTH, DOB_TEMPLATES, dob_written)
    yield from emit("dob/spoken", Category.DATE_OF_BIRTH, DOB_TEMPLATES, dob_spoken)

    def spelled() -> str:
        name = rng.choice((fake.last_name(), fake.first_name())).lower()
        return rng.choice((" ", " ", "-", ". ")).join(name) + ("." if rng.random() < 0.1 else "")

    yield from emit("spelled/spoken", Category.PERSON_NAME, SPELL_TEMPLATES, spelled)


def librispeech_ids(rng: random.Random, n: int = 1000) -> list[str]:
    """Random ids in LibriSpeech's speaker-chapter-utterance shape (1089-134686-0000)."""
    return [f"{rng.randint(14, 9999)}-{rng.randint(10, 999999)}-{rng.randint(0, 150):04d}" for _ in range(n)]


def _ts(r: random.Random) -> str:
    return f"{r.randint(0, 9):02d}:{r.randint(0, 59):02d}:{r.randint(0, 59):02d},{r.randint(0, 999):03d}"


def _iso(r: random.Random) -> str:
    return f"{r.randint(2000, 2030)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"


def _pair(r: random.Random, low: int = 10, high: int = 99) -> str:
    return two_digit_words(str(r.randint(low, high)))


CLEAN_TEMPLATES: tuple[Callable[[random.Random], str], ...] = (
    lambda r: f"in {r.randint(1900, 2030)} about {r.randint(100, 99999)} people came to the hall",
    lambda r: f"in {speak_year(r.randint(1900, 1999))} about {_pair(r)} thousand people came",
    lambda r: f"the recording lasted {r.randint(60, 99999)} seconds at {r.choice((16000, 44100, 48000))} hz",
    lambda r: f"{_ts(r)} --> {_ts(r)}",
    lambda r: f"encoded with ffmpeg {r.randint(2, 7)}.{r.randint(0, 20)}.{r.randint(0, 9)} and sox 14.4.2",
    lambda r: f"scores {r.random():.3f}, {r.random():.3f} and {r.random():.3f} on {r.randint(1000, 99999)} utterances",
    lambda r: "one two three four five six seven eight nine ten",
    lambda r: f"chapter {r.randint(1, 60)} verse {r.randint(1, 200)} page {r.randint(100, 999)}",
    lambda r: f"we drove {r.randint(2, 300)} miles down the road and waited {r.randint(2, 90)} minutes",
    lambda r: f"i have {DIGIT_WORDS[r.randint(2, 9)]} brothers and {DIGIT_WORDS[r.randint(2, 9)]} sisters",
    lambda r: f"the meeting on {r.randint(1, 28)} {r.choice(MONTHS)} {r.randint(1990, 2030)} ran late",
    lambda r: f"look at example dot com for the {r.choice(('rules', 'data', 'schedule'))}",
    lambda r: f"order number {r.randint(10**8, 10**13)} shipped in {r.randint(2, 9)} boxes",
    lambda r: f"SEGMENT {r.randint(1, 9999):06d} START {r.uniform(0, 3600):.2f} END {r.uniform(0, 3600):.2f}",
    lambda r: f"session {_iso(r)} {r.randint(0, 23):02d}:{r.randint(0, 59):02d}",
    lambda r: f"it was {speak_digits(str(r.randint(1, 99)), r)} degrees and {_pair(r)} percent humid",
    lambda r: f"it cost ${r.randint(1, 9)},{r.randint(100, 999)}.{r.randint(10, 99)} plus {r.randint(5, 25)}% tax",
    lambda r: f"isbn 978-{r.randint(0, 9)}-{r.randint(10, 99)}-{r.randint(100000, 999999)}-{r.randint(0, 9)} here",
    lambda r: f"flight {r.randint(100, 9999)} leaves gate {r.randint(1, 60)} at {r.randint(1, 12)}:{r.randint(10, 59)}",
    lambda r: f"created {_iso(r)}T{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:00Z by the pipeline",
    lambda r: f"commit {r.getrandbits(160):040x} tagged v{r.randint(0, 9)}.{r.randint(0, 30)}.{r.randint(0, 9)}",
    lambda r: f"in two thousand and {DIGIT_WORDS[r.randint(1, 9)]} we recorded {_pair(r, 20)} hours",
    lambda r: f"it cost {DIGIT_WORDS[r.randint(1, 9)]} hundred and {_pair(r, 20)} dollars",
    lambda r: f"she was born in {speak_year(r.randint(1930, 2005))} and grew up on a farm",
    lambda r: f"we met on the {ORDINALS[r.randint(0, 19)]} of {r.choice(MONTHS)} {speak_year(r.randint(1950, 2020))}",
    lambda r: f"room {r.randint(100, 999)} on floor {r.randint(1, 30)}, building {r.randint(1, 40)}",
    lambda r: f"the {r.choice(('main', 'high', 'long', 'old'))} street had {r.randint(2, 99)} shops",
    lambda r: f"utterance {r.randint(10**9, 10**10 - 1)} scored {r.randint(0, 100)} points",
    lambda r: f"call number {r.randint(100, 999)}.{r.randint(10, 99)} in the library catalogue",
    lambda r: f"samples {r.randint(10**6, 10**8)} to {r.randint(10**6, 10**8)} were clipped",
    lambda r: f"ratings {' '.join(str(r.randint(1, 5)) for _ in range(8))} from the panel",
)


def negatives(rng: random.Random, n_clean: int = 1500) -> Iterator[Sample]:
    from faker import Faker

    fake = Faker("en_US")
    fake.seed_instance(SEED)
    for corpus_id in librispeech_ids(rng, 2000):  # LibriSpeech-style lines of random English words
        words = fake.sentence(nb_words=14).upper().rstrip(".")
        if rng.random() < 0.2:
            words += " AND " + speak_digits(str(rng.randint(1, 999)), rng).upper() + " OF THEM"
        yield Sample(f"{corpus_id} {words}", None, label="neg/word-salad")
    for corpus_id in librispeech_ids(rng):
        yield Sample(corpus_id, None, label="neg/librispeech-id")
        words = " ".join(rng.choice(("HE", "HOPED", "THERE", "WOULD", "BE", "STEW", "ONE", "TWO", "OF", "THE"))
                         for _ in range(8))
        yield Sample(f"{corpus_id} {words}", None, label="neg/librispeech-line")
    for n in range(n_clean):
        template = CLEAN_TEMPLATES[n % len(CLEAN_TEMPLATES)]
        text = template(rng)
        style = STYLES[n % 3]
        yield Sample(styled("", text, "", style)[0], None, label="neg/clean", style=style)


# ---------------------------------------------------------------- running the rules


@cache
def text_rules() -> tuple[Rule, ...]:
    rules = load_rules(rule_files())
    probe = Field("", Role.TEXT, {})
    return tuple(r for r in rules if r.applies("text", probe) and (r.category in MINE or r.id in MY_NAME_RULES))


def findings(text: str) -> list[tuple[Category, int, int]]:
    f = Field(text, Role.TEXT, {"line": 1}, column_offset=0)
    out = []
    for rule in text_rules():
        for m, confidence in rule.matches(f):
            if confidence >= MIN_CONFIDENCE:
                out.append((rule.category, m.start, m.end))
    return out


@dataclass
class Scores:
    recall: dict[str, float]
    false_positives: dict[str, Counter[str]]
    negatives: Counter[str]


@cache
def evaluate() -> Scores:
    rng = random.Random(SEED)
    hits: dict[str, list[bool]] = defaultdict(list)
    for sample in positives(rng):
        found = any(cat == sample.category and start < sample.span[1] and end > sample.span[0]
                    for cat, start, end in findings(sample.text))
        hits[sample.label].append(found)
        hits[f"{sample.label.split('/')[0]}/{sample.style}"].append(found)
    fps: dict[str, Counter[str]] = defaultdict(Counter)
    counts: Counter[str] = Counter()
    for sample in negatives(rng):
        counts[sample.label] += 1
        for cat in {c for c, _, _ in findings(sample.text)}:
            fps[sample.label][cat.value] += 1
    return Scores({k: sum(v) / len(v) for k, v in hits.items()}, fps, counts)


# ---------------------------------------------------------------- floors

RECALL_FLOORS = {
    "phone/written": 0.97, "phone/spoken": 0.95, "phone/asr-digits": 0.95, "email/written": 0.98, "email/spoken": 0.95,
    "card/written": 0.98, "card/spoken": 0.97, "iban/written": 0.98, "ssn/written": 0.98, "ssn/spoken": 0.97,
    "address/written": 0.97, "address/spoken": 0.95, "dob/written": 0.97, "dob/spoken": 0.95,
    "spelled/spoken": 0.95,
}
STYLE_FLOOR = 0.95  # every category in every style (cased, lowercase ASR, UPPERCASE)


@pytest.mark.parametrize("label", sorted(RECALL_FLOORS))
def test_recall_floor(label: str) -> None:
    scores = evaluate()
    assert scores.recall[label] >= RECALL_FLOORS[label], f"{label}: recall {scores.recall[label]:.3f}"


@pytest.mark.parametrize("style", STYLES)
def test_recall_in_every_speech_style(style: str) -> None:
    scores = evaluate()
    per_category = {k: v for k, v in scores.recall.items() if k.endswith("/" + style)}
    assert len(per_category) == 8
    assert all(v >= STYLE_FLOOR for v in per_category.values()), per_category


def test_no_card_or_phone_false_positives_on_librispeech_ids() -> None:
    scores = evaluate()
    assert scores.negatives["neg/librispeech-id"] == 1000
    for label in ("neg/librispeech-id", "neg/librispeech-line"):
        fp = scores.false_positives.get(label, Counter())
        assert fp["financial"] == 0 and fp["phone"] == 0, f"{label}: {dict(fp)}"
        assert sum(fp.values()) == 0, f"{label}: {dict(fp)}"


def test_false_positives_on_librispeech_style_word_salad_are_rare() -> None:
    scores = evaluate()
    fp = scores.false_positives.get("neg/word-salad", Counter())
    assert fp["phone"] == 0 and fp["financial"] == 0 and fp["government_id"] == 0, dict(fp)
    assert sum(fp.values()) / scores.negatives["neg/word-salad"] <= 0.005, dict(fp)


def test_false_positives_on_clean_sentences_are_rare() -> None:
    scores = evaluate()
    fp = scores.false_positives.get("neg/clean", Counter())
    total = scores.negatives["neg/clean"]
    assert fp["phone"] == 0 and fp["financial"] == 0 and fp["government_id"] == 0, dict(fp)
    assert sum(fp.values()) / total <= 0.01, dict(fp)


def main() -> None:
    scores = evaluate()
    print(f"{'category':22} recall")
    for label, value in sorted(scores.recall.items()):
        print(f"{label:22} {value:.3f}")
    print("\nfalse positives on negatives:")
    for label, n in sorted(scores.negatives.items()):
        print(f"{label:22} n={n:5} {dict(scores.false_positives.get(label, {}))}")


if __name__ == "__main__":
    main()
