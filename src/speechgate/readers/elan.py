"""ELAN annotation files (`.eaf`) and ELAN preference files (`.pfsx`), parsed as a stream.

XML is parsed with defusedxml's SAX parser: entity declarations and external entities are
refused (the artifact becomes Unscannable), nothing is fetched. SAX keeps memory flat for
large files (fed in chunks; fields are yielded as they are parsed) and gives line numbers.

Out (locator: line + `field` naming the element/attribute):
- `.eaf`: ANNOTATION_DOCUMENT AUTHOR and TIER ANNOTATOR -> COLUMN fields "ELAN:AUTHOR" /
  "ELAN:ANNOTATOR"; TIER PARTICIPANT -> SPEAKER "ELAN:PARTICIPANT"; TIER TIER_ID ->
  IDENTIFIER "ELAN:TIER_ID"; MEDIA_URL, RELATIVE_MEDIA_URL, LINK_URL, RELATIVE_LINK_URL,
  HEADER MEDIA_FILE -> PATH; ANNOTATION_VALUE, CVE_VALUE, LICENSE texts -> TEXT;
  PROPERTY texts -> COLUMN "ELAN:PROPERTY:<NAME>".
- `.pfsx`: preference keys that are paths -> PATH "pfsx:key"; every preference value ->
  COLUMN "pfsx:<key>" (PATH when it looks like a path or URL).
"""

from __future__ import annotations

import xml.sax
from collections.abc import Iterator
from typing import Any

from speechgate.errors import Unscannable
from speechgate.model import Artifact, Field, Note, Role
from speechgate.readers.textio import open_binary

CHUNK = 1 << 16

_ATTRIBUTES: dict[tuple[str, str], tuple[Role, str]] = {
    ("ANNOTATION_DOCUMENT", "AUTHOR"): (Role.COLUMN, "ELAN:AUTHOR"),
    ("TIER", "ANNOTATOR"): (Role.COLUMN, "ELAN:ANNOTATOR"),
    ("TIER", "PARTICIPANT"): (Role.SPEAKER, "ELAN:PARTICIPANT"),
    ("TIER", "TIER_ID"): (Role.IDENTIFIER, "ELAN:TIER_ID"),
    ("HEADER", "MEDIA_FILE"): (Role.PATH, "ELAN:MEDIA_FILE"),
    ("MEDIA_DESCRIPTOR", "MEDIA_URL"): (Role.PATH, "ELAN:MEDIA_URL"),
    ("MEDIA_DESCRIPTOR", "RELATIVE_MEDIA_URL"): (Role.PATH, "ELAN:RELATIVE_MEDIA_URL"),
    ("MEDIA_DESCRIPTOR", "EXTRACTED_FROM"): (Role.PATH, "ELAN:EXTRACTED_FROM"),
    ("LINKED_FILE_DESCRIPTOR", "LINK_URL"): (Role.PATH, "ELAN:LINK_URL"),
    ("LINKED_FILE_DESCRIPTOR", "RELATIVE_LINK_URL"): (Role.PATH, "ELAN:RELATIVE_LINK_URL"),
}
_TEXT_ELEMENTS = {"ANNOTATION_VALUE": Role.TEXT, "CVE_VALUE": Role.TEXT, "LICENSE": Role.TEXT,
                  "PROPERTY": Role.COLUMN}
_PFSX_VALUES = frozenset({"String", "Object", "Integer", "Long", "Float", "Double", "Boolean"})


class _Handler(xml.sax.ContentHandler):
    def __init__(self, pfsx: bool) -> None:
        super().__init__()
        self.pfsx = pfsx
        self.fields: list[Field] = []
        self._stack: list[tuple[str, str | None, int, list[str]]] = []
        self._pref_keys: list[str] = []
        self._locator: Any = None

    def setDocumentLocator(self, locator: Any) -> None:
        self._locator = locator

    def _line(self) -> int:
        return int(self._locator.getLineNumber()) if self._locator is not None else 1

    def startElement(self, name: str, attrs: Any) -> None:
        line = self._line()
        if self.pfsx:
            if "key" in attrs:
                key = attrs["key"]
                self._pref_keys.append(key)
                if "/" in key or "\\" in key:
                    self.fields.append(Field(key, Role.PATH, {"line": line, "field": f"{name}/@key"}, name="pfsx:key"))
            self._stack.append((name, None, line, []))
            return
        for attr in attrs.getNames():
            slot = _ATTRIBUTES.get((name, attr))
            value = attrs.getValue(attr)
            if slot is not None and value.strip():
                role, field_name = slot
                self.fields.append(Field(value, role, {"line": line, "field": f"{name}/@{attr}"}, name=field_name))
        label = f"ELAN:PROPERTY:{attrs.get('NAME', '')}" if name == "PROPERTY" else f"ELAN:{name}"
        self._stack.append((name, label, line, []))

    def characters(self, content: str) -> None:
        if self._stack:
            self._stack[-1][3].append(content)

    def endElement(self, name: str) -> None:
        element, label, line, parts = self._stack.pop()
        text = "".join(parts).strip()
        if self.pfsx:
            if element in _PFSX_VALUES and text and self._pref_keys:
                role = Role.PATH if ("/" in text or "\\" in text) else Role.COLUMN
                key = self._pref_keys[-1]
                if "/" in key or "\\" in key:  # a path as key is content, not a name for the locator
                    key = "value"
                self.fields.append(Field(text, role, {"line": line, "field": f"{key}/{element}"}, name=f"pfsx:{key}"))
            elif element in {"pref", "prefGroup", "prefList"} and self._pref_keys:
                self._pref_keys.pop()
            return
        role = _TEXT_ELEMENTS.get(element)
        if role is not None and text and label is not None:
            self.fields.append(Field(text, role, {"line": line, "field": element}, name=label))


def read(artifact: Artifact) -> Iterator[Field | Note]:
    # imported here: defusedxml.sax pulls in urllib, http, email and ssl (a sixth of the
    # start-up of a run that has no XML to read)
    import defusedxml
    import defusedxml.sax

    handler = _Handler(pfsx=artifact.kind == "pfsx")
    parser = defusedxml.sax.make_parser()
    parser.setContentHandler(handler)
    handler.setDocumentLocator(parser)  # feed() never calls it; the expat reader is its own locator
    parser.setFeature(xml.sax.handler.feature_external_ges, False)
    parser.setFeature(xml.sax.handler.feature_external_pes, False)
    try:
        with open_binary(artifact.path) as stream:
            while chunk := stream.read(CHUNK):
                parser.feed(chunk)
                yield from handler.fields
                handler.fields.clear()
            parser.close()
    except xml.sax.SAXParseException as exc:
        raise Unscannable(f"invalid XML at line {exc.getLineNumber()}: {exc.getMessage()}") from None
    except defusedxml.DefusedXmlException as exc:
        raise Unscannable(f"XML refused by the hardened parser ({type(exc).__name__})") from None
    yield from handler.fields
