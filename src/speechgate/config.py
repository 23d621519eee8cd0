"""Configuration: find one source, merge it over the bundled default, validate by schema.

Sources, first found wins: `--config FILE`; else walking up from the start folder to the
repository root, the first `.speechgate.yaml` or `pyproject.toml` with `[tool.speechgate]`.
Mappings merge recursively; lists replace. Unknown keys are errors naming their path.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from speechgate import memo
from speechgate.errors import UsageError
from speechgate.schemas import validator_for

TIERS = ("internal", "partner", "public")
_DEFAULT = Path(__file__).with_name("default_config.yaml")


@dataclass(frozen=True)
class Config:
    """The merged configuration and where it came from (None: bundled default only)."""

    data: Mapping[str, Any]
    source: Path | None

    @property
    def base_dir(self) -> Path:
        """Folder that relative paths in the config (extra rule files) are resolved against."""
        return self.source.parent if self.source else Path.cwd()

    def threshold(self, tier: str, kind: str) -> float:
        conf = self.data["tiers"][tier]
        return float(conf.get("kinds", {}).get(kind, conf["threshold"]))

    def always_fail(self, tier: str) -> frozenset[str]:
        return frozenset(self.data["tiers"][tier].get("always_fail", ()))

    def extra_rule_files(self) -> list[Path]:
        return [self.base_dir / p for p in self.data["rules"]["extra"]]

    def digest(self) -> str:
        return hashlib.sha256(json.dumps(self.data, sort_keys=True, default=str).encode()).hexdigest()


def load_config(explicit: Path | None, start: Path, today: dt.date | None = None) -> Config:
    """Find, read, merge and validate the configuration. Raises UsageError."""
    default = _default()
    source, user = (explicit, _read(explicit)) if explicit else _discover(start)
    _validate(user, source)
    merged = _merge(default, user)
    _check_allow_entries(merged, source, today or dt.date.today())
    return Config(merged, source)


def _default() -> dict[str, Any]:
    """The bundled default configuration, from the start-up memo while the file is unchanged
    (so a run without a YAML config of its own never imports PyYAML: ~12 ms of every start)."""
    raw = _DEFAULT.read_bytes()
    key = memo.digest("default-config", raw)
    cached = memo.load("default-config", key)
    if isinstance(cached, dict):
        return cached
    import yaml

    default = yaml.safe_load(raw.decode("utf-8"))
    memo.store("default-config", key, default)
    return default


def _discover(start: Path) -> tuple[Path | None, dict[str, Any]]:
    folder = start.resolve()
    if folder.is_file():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        dotfile = candidate / ".speechgate.yaml"
        if dotfile.is_file():
            return dotfile, _read(dotfile)
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file():
            section = _read(pyproject).get("tool", {}).get("speechgate")
            if section is not None:
                return pyproject, section
        if (candidate / ".git").exists():
            break
    return None, {}


def _read(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{path}: cannot read config: {exc.strerror}") from None
    if path.suffix == ".toml":
        import tomllib  # only TOML configs need it: a few ms of every start otherwise

        parse, errors = tomllib.loads, (tomllib.TOMLDecodeError,)
    else:
        import yaml

        parse, errors = yaml.safe_load, (yaml.YAMLError,)
    try:
        doc = parse(text)
    except errors as exc:
        raise UsageError(f"{path}: invalid config syntax: {str(exc).splitlines()[0]}") from None
    if doc is None:
        return {}
    if not isinstance(doc, dict):
        raise UsageError(f"{path}: /: config must be a mapping")
    if path.suffix == ".toml" and path.name != "pyproject.toml":
        return doc.get("tool", {}).get("speechgate", doc)
    return doc


def _validate(user: Mapping[str, Any], source: Path | None) -> None:
    errors = list(validator_for("config").iter_errors(user))
    if errors:
        err = min(errors, key=lambda e: (len(e.absolute_path), str(e.message)))
        pointer = "/" + "/".join(str(p) for p in err.absolute_path)
        if err.validator == "additionalProperties" and isinstance(err.instance, Mapping):
            unknown = sorted(set(err.instance) - set(err.schema.get("properties", {})))
            if unknown:
                known = ", ".join(sorted(err.schema.get("properties", {})))
                raise UsageError(f"{source}: {pointer.rstrip('/')}/{unknown[0]}: unknown key (known: {known})")
        raise UsageError(f"{source}: {pointer}: {err.message}")


def _merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _check_allow_entries(data: Mapping[str, Any], source: Path | None, today: dt.date) -> None:
    for i, entry in enumerate(data["allow"]):
        if "expires" not in entry:
            continue
        try:
            expires = dt.date.fromisoformat(entry["expires"])
        except ValueError:
            raise UsageError(f"{source}: /allow/{i}/expires: not a date (YYYY-MM-DD)") from None
        if expires < today:
            raise UsageError(
                f"{source}: /allow/{i}: allow entry expired on {expires.isoformat()}; "
                "review it and renew or remove it"
            )
