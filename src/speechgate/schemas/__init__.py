"""JSON Schemas shipped with the package (rules, config, report, baseline) and their validators."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

_HERE = Path(__file__).parent


@cache
def schema_bytes(name: str) -> bytes:
    """The bytes of `<name>.schema.json` (part of the key of data validated against it)."""
    return (_HERE / f"{name}.schema.json").read_bytes()


@cache
def schema(name: str) -> dict[str, Any]:
    """The parsed schema `<name>.schema.json`."""
    return json.loads(schema_bytes(name).decode("utf-8"))


@cache
def validator_for(name: str) -> Draft202012Validator:
    return Draft202012Validator(schema(name))
