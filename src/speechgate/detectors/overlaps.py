"""One finding per value: settle the hits of several rules on one field's text.

In: the (rule, match, confidence) hits of every rule on one field. Out: the hits to keep.
- A span that a public-corpus speaker-id rule claims is not also a payment card, a
  government id or a phone number: LibriSpeech ids such as 1089-134686-0000 pass Luhn and
  NHS-style checksums by chance, and they are speaker ids.
- Hits of the same category on overlapping spans (a corpus id and the non-pseudonymous
  label rule; the names gazetteer and NER on the same name) are one finding: the most
  confident hit wins, then the longest span, then the earlier rule. Risk is therefore not
  counted twice for one value.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from speechgate.model import Category, Match

Hit = tuple[Any, Match, float]  # (rules.Rule, match, confidence); Rule is not imported to avoid a cycle

CLAIMING_DETECTORS = frozenset({"corpus_speaker_id"})
YIELDS_TO_SPEAKER_ID = frozenset({Category.FINANCIAL, Category.GOVERNMENT_ID, Category.PHONE})


def _claims(rule: Any) -> bool:
    return rule.data.get("detect", {}).get("builtin") in CLAIMING_DETECTORS


def _overlap(a: Match, b: Match) -> bool:
    return a.start < b.end and b.start < a.end


def resolve(hits: Sequence[Hit]) -> list[Hit]:
    """The hits to report for one field, in their original order."""
    if len(hits) < 2:
        return list(hits)
    claimed = [m for rule, m, _ in hits if _claims(rule)]
    kept: list[Hit] = []
    for hit in hits:
        rule, m, _ = hit
        if rule.category in YIELDS_TO_SPEAKER_ID and any(_overlap(m, c) for c in claimed):
            continue
        kept.append(hit)
    order = {id(h): i for i, h in enumerate(kept)}
    ranked = sorted(kept, key=lambda h: (-h[2], -(h[1].end - h[1].start), order[id(h)]))
    winners: list[Hit] = []
    for hit in ranked:
        if not any(w[0].category == hit[0].category and _overlap(w[1], hit[1]) for w in winners):
            winners.append(hit)
    return sorted(winners, key=lambda h: order[id(h)])
