"""JSON Schemas shipped with the package (rules, config, report, baseline) and their validators.

`validator_for(name)` returns a validator with jsonschema's `iter_errors`/`validate`/...
that remembers, in the start-up memo (speechgate/memo.py), digests of instances it found
valid against the current schema bytes. A run whose config (or rule file, baseline) was
already validated unchanged then neither validates it again nor imports jsonschema (about
0.07 s of every start). Only digests of valid instances are kept, never the instances; an
instance with errors is validated, and reported, every time.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from speechgate import memo

_HERE = Path(__file__).parent
_REMEMBERED = 256  # valid-instance digests kept per schema


@cache
def schema_bytes(name: str) -> bytes:
    """The bytes of `<name>.schema.json` (part of the key of data validated against it)."""
    return (_HERE / f"{name}.schema.json").read_bytes()


@cache
def schema(name: str) -> dict[str, Any]:
    """The parsed schema `<name>.schema.json`."""
    return json.loads(schema_bytes(name).decode("utf-8"))


@cache
def validator_for(name: str) -> RememberingValidator:
    return RememberingValidator(name)


class RememberingValidator:
    """A Draft 2020-12 validator for one bundled schema that skips instances it has already
    found valid (by a typed digest, see `_canonical`); other attributes go to jsonschema's."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._memo_name = f"valid-{name}"
        self._key = memo.digest("valid", name, schema_bytes(name))

    @property
    def real(self) -> Any:
        return _draft_validator(self.name)

    def iter_errors(self, instance: Any) -> Iterator[Any]:
        try:
            digest = hashlib.sha256(_canonical(instance).encode()).hexdigest()
        except (TypeError, RecursionError):  # a value JSON Schema has no exact type for: validate
            yield from self.real.iter_errors(instance)
            return
        known = memo.load(self._memo_name, self._key)
        known = known if isinstance(known, list) else []
        if digest in known:
            return
        errors = list(self.real.iter_errors(instance))
        if not errors:
            memo.store(self._memo_name, self._key, [*known[-(_REMEMBERED - 1):], digest])
        yield from errors

    def __getattr__(self, attr: str) -> Any:  # validate, is_valid, schema...
        return getattr(self.real, attr)


@cache
def _draft_validator(name: str) -> Any:
    from jsonschema import Draft202012Validator  # imported only when something needs validating

    return Draft202012Validator(schema(name))


def _canonical(value: Any) -> str:
    """An encoding that tells apart everything JSON Schema does (1 vs 1.0 vs True, "1" vs 1
    as keys, list vs tuple); raises TypeError for other types."""
    kind = type(value)
    if kind is dict:
        return "{" + ",".join(sorted(_canonical(k) + ":" + _canonical(v) for k, v in value.items())) + "}"
    if kind is list:
        return "[" + ",".join(_canonical(v) for v in value) + "]"
    if kind in (str, int, float, bool) or value is None:
        return f"{kind.__name__}:{value!r}"
    raise TypeError(f"no canonical form for {kind.__name__}")
