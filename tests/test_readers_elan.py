"""ELAN .eaf and .pfsx through the hardened (defusedxml) SAX parser."""

from __future__ import annotations

from pathlib import Path

import pytest

from speechgate.errors import Unscannable
from speechgate.model import Artifact, Field
from speechgate.readers import elan

EAF = """<?xml version="1.0" encoding="UTF-8"?>
<ANNOTATION_DOCUMENT AUTHOR="Jo Example" DATE="2024-01-01T10:00:00+01:00" FORMAT="3.0" VERSION="3.0">
    <HEADER MEDIA_FILE="" TIME_UNITS="milliseconds">
        <MEDIA_DESCRIPTOR MEDIA_URL="file:///home/jexample/rec.wav" MIME_TYPE="audio/x-wav"
            RELATIVE_MEDIA_URL="./rec.wav"/>
        <PROPERTY NAME="lastUsedAnnotationId">3</PROPERTY>
    </HEADER>
    <TIME_ORDER><TIME_SLOT TIME_SLOT_ID="ts1" TIME_VALUE="0"/></TIME_ORDER>
    <TIER ANNOTATOR="jexample" LINGUISTIC_TYPE_REF="default-lt" PARTICIPANT="Kim" TIER_ID="Kim speech">
        <ANNOTATION>
            <ALIGNABLE_ANNOTATION ANNOTATION_ID="a1" TIME_SLOT_REF1="ts1" TIME_SLOT_REF2="ts1">
                <ANNOTATION_VALUE>call me on Monday</ANNOTATION_VALUE>
            </ALIGNABLE_ANNOTATION>
        </ANNOTATION>
    </TIER>
</ANNOTATION_DOCUMENT>
"""

PFSX = """<?xml version="1.0" encoding="UTF-8"?>
<preferences version="1.1">
    <pref key="/home/jexample/rec.wav">
        <String>JMF</String>
    </pref>
    <pref key="LastUsedDir">
        <String>/home/jexample/Desktop</String>
    </pref>
    <pref key="Volume">
        <Float>0.8</Float>
    </pref>
</preferences>
"""


def fields(tmp_path: Path, name: str, content: str, kind: str) -> list[tuple[str, str | None, dict, str]]:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return [(f.role.value, f.name, dict(f.locator), f.text)
            for f in elan.read(Artifact(path, name, kind)) if isinstance(f, Field)]


def test_eaf_attributes_and_values(tmp_path: Path) -> None:
    assert fields(tmp_path, "a.eaf", EAF, "eaf") == [
        ("column", "ELAN:AUTHOR", {"line": 2, "field": "ANNOTATION_DOCUMENT/@AUTHOR"}, "Jo Example"),
        ("path", "ELAN:MEDIA_URL", {"line": 4, "field": "MEDIA_DESCRIPTOR/@MEDIA_URL"},
         "file:///home/jexample/rec.wav"),
        ("path", "ELAN:RELATIVE_MEDIA_URL", {"line": 4, "field": "MEDIA_DESCRIPTOR/@RELATIVE_MEDIA_URL"},
         "./rec.wav"),
        ("column", "ELAN:PROPERTY:lastUsedAnnotationId", {"line": 6, "field": "PROPERTY"}, "3"),
        ("column", "ELAN:ANNOTATOR", {"line": 9, "field": "TIER/@ANNOTATOR"}, "jexample"),
        ("speaker", "ELAN:PARTICIPANT", {"line": 9, "field": "TIER/@PARTICIPANT"}, "Kim"),
        ("identifier", "ELAN:TIER_ID", {"line": 9, "field": "TIER/@TIER_ID"}, "Kim speech"),
        ("text", "ELAN:ANNOTATION_VALUE", {"line": 12, "field": "ANNOTATION_VALUE"}, "call me on Monday"),
    ]


def test_pfsx_values_and_path_keys(tmp_path: Path) -> None:
    assert fields(tmp_path, "a.pfsx", PFSX, "pfsx") == [
        ("path", "pfsx:key", {"line": 3, "field": "pref/@key"}, "/home/jexample/rec.wav"),
        ("column", "pfsx:value", {"line": 4, "field": "value/String"}, "JMF"),
        ("path", "pfsx:LastUsedDir", {"line": 7, "field": "LastUsedDir/String"}, "/home/jexample/Desktop"),
        ("column", "pfsx:Volume", {"line": 10, "field": "Volume/Float"}, "0.8"),
    ]


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<ANNOTATION_DOCUMENT AUTHOR="&lol2;"/>
"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY secret SYSTEM "file:///etc/hostname">]>
<ANNOTATION_DOCUMENT AUTHOR="&secret;"/>
"""


@pytest.mark.parametrize(("content", "reason"), [
    (BILLION_LAUGHS, "hardened parser"),
    (EXTERNAL, "hardened parser"),
    (EAF[:300], "invalid XML"),
    ("not xml at all", "invalid XML at line 1"),
])
def test_hostile_or_broken_xml_is_unscannable(tmp_path: Path, content: str, reason: str) -> None:
    with pytest.raises(Unscannable, match=reason) as err:
        fields(tmp_path, "x.eaf", content, "eaf")
    assert "lol" not in str(err.value) and "Jo Example" not in str(err.value)
