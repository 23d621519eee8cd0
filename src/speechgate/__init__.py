"""speechgate: a release gate for speech and audio research artifacts."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("speechgate")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"
