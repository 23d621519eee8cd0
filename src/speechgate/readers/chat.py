"""CHILDES / TalkBank CHAT transcripts (`.cha`), streamed by logical line.

A line starting with a tab continues the previous header or tier. Out (locator: the line
where the logical line starts, and the value's 1-based column when it fits on one line):
- `@Participants`: the personal name of each participant (`CHI Natasha Target_Child`) as a
  SPEAKER field "CHAT:Participants:name"; speaker codes and roles (CHI, Mother) are not
  content and are skipped;
- `@ID`: age, sex, group, SES, education and custom fields as COLUMN fields "CHAT:ID:<part>";
- `@Birth of X`, `@Birthplace of X`, `@L1 of X`, `@Date`, `@Location`, `@Transcriber`,
  `@Coder`, and unknown headers: COLUMN fields "CHAT:<header>" (" of X" dropped);
- `@Media`: the media name as PATH "CHAT:Media";
- `@Comment`, `@Situation`, `@Activities`, `@Warning`: TEXT "CHAT:<header>";
- main tiers `*XXX:` -> TEXT "CHAT:main"; `%com`/`%exp`/`%sit`/`%act` -> TEXT "CHAT:%<tier>";
- `%mor` proper nouns (`n:prop|Name`, `propn|Name`) -> TEXT "CHAT:mor:proper_name".
Formatting headers (@Begin, @End, @UTF8, @Languages, @PID, @Font, @Options...) are skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import re2

from speechgate.model import Artifact, Field, Note, Role
from speechgate.readers.textio import lines

_SKIP_HEADERS = frozenset({"Begin", "End", "UTF8", "Languages", "PID", "Font", "Options", "Color words",
                           "Window", "Page", "Blank", "New Episode", "Types", "Transcription",
                           "Recording Quality", "Number", "Tape Location", "Time Duration", "Time Start",
                           "Bg", "Eg", "G"})
_TEXT_HEADERS = frozenset({"Comment", "Situation", "Activities", "Warning", "Bck"})
_ID_PARTS = {3: "age", 4: "sex", 5: "group", 6: "SES", 8: "education", 9: "custom"}
_TEXT_TIERS = frozenset({"com", "exp", "sit", "act", "gpx", "int"})
_Make = Callable[[str, Role, str, int], Field]  # (text, role, name, 0-based offset) -> Field
_PROPER = re2.compile(r"(?:^|\s)(?:n:prop|propn)\|([\pL\pN_']+)")


def read(artifact: Artifact) -> Iterator[Field | Note]:
    start = 0
    parts: list[str] = []
    for item in lines(artifact.path):
        if isinstance(item, Note):
            yield item
            continue
        number, text = item
        if parts and text[:1] in ("\t", " "):
            parts.append(text.strip())
            continue
        if parts:
            yield from _logical(start, parts)
        start, parts = number, [text]
    if parts:
        yield from _logical(start, parts)


def _logical(number: int, parts: list[str]) -> Iterator[Field]:
    line = " ".join(parts) if len(parts) > 1 else parts[0]
    single = len(parts) == 1
    head, sep, rest = line.partition(":")
    if not sep or line[:1] not in "@*%":
        return
    offset = len(head) + 1 + (len(rest) - len(rest.lstrip()))
    value = rest.strip()
    if not value:
        return

    def field(text: str, role: Role, name: str, at: int) -> Field:
        locator: dict[str, int] = {"line": number}
        if single:
            locator["column"] = at + 1
        return Field(text, role, locator, name=name, column_offset=at if single else None)

    if line[0] == "*":
        yield field(value, Role.TEXT, "CHAT:main", offset)
    elif line[0] == "%":
        tier = head[1:]
        if tier == "mor":
            for m in _PROPER.finditer(value):
                yield field(m.group(1), Role.TEXT, "CHAT:mor:proper_name", offset + m.start(1))
        elif tier in _TEXT_TIERS:
            yield field(value, Role.TEXT, f"CHAT:%{tier}", offset)
    else:
        yield from _header(head[1:], value, offset, field)


def _header(key: str, value: str, offset: int, make: _Make) -> Iterator[Field]:
    base = key.split(" of ")[0].strip() if " of " in key else key.strip()
    if base in _SKIP_HEADERS:
        return
    if base == "Participants":
        at = offset
        for entry in value.split(","):
            tokens = entry.split()
            lead = len(entry) - len(entry.lstrip())
            if len(tokens) >= 3:
                name = " ".join(tokens[1:-1])
                yield make(name, Role.SPEAKER, "CHAT:Participants:name", at + entry.index(tokens[1], lead))
            at += len(entry) + 1
    elif base == "ID":
        at = offset
        for index, part in enumerate(value.split("|")):
            if index in _ID_PARTS and part.strip():
                yield make(part.strip(), Role.COLUMN, f"CHAT:ID:{_ID_PARTS[index]}", at)
            at += len(part) + 1
    elif base == "Media":
        media = value.split(",")[0].strip()
        if media:
            yield make(media, Role.PATH, "CHAT:Media", offset)
    elif base in _TEXT_HEADERS:
        yield make(value, Role.TEXT, f"CHAT:{base}", offset)
    else:
        yield make(value, Role.COLUMN, f"CHAT:{base}", offset)
