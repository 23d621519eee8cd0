"""speechgate: a release gate for speech and audio research artifacts."""

# The single source of the version (pyproject.toml reads it from here): a literal, because
# asking importlib.metadata costs ~15 ms of imports on every start of a pre-commit hook.
__version__ = "0.1.0"
