"""Where the OpenAPI document is and how it is loaded (once per path)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml

__all__ = ["HTTP_METHODS", "SPEC_FILENAME", "load_spec", "spec_path"]

SPEC_FILENAME = "symbl-async-audio.yaml"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
"""The keys of a path item that are operations, in the order every reader takes them."""

# In a checkout the document lives in openapi/ at the top of the repository; an installed wheel
# carries a copy beside this module (see [tool.hatch.build.targets.wheel.force-include]).
_CANDIDATES = (
    Path(__file__).resolve().parents[2] / "openapi" / SPEC_FILENAME,
    Path(__file__).resolve().parent / SPEC_FILENAME,
)


def spec_path() -> Path:
    """Path of the OpenAPI document this installation uses."""
    for candidate in _CANDIDATES:
        if candidate.is_file():
            return candidate
    searched = ", ".join(str(c) for c in _CANDIDATES)
    raise FileNotFoundError(f"OpenAPI document {SPEC_FILENAME} not found (looked in {searched})")


@functools.cache
def _load(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        document = yaml.safe_load(handle)
    if not isinstance(document, dict):
        raise ValueError(f"{path} is not an OpenAPI document (top level is not a mapping)")
    return document


def load_spec(path: Path | None = None) -> dict[str, Any]:
    """The parsed document. Cached: callers must not mutate it (deep-copy first)."""
    return _load(path or spec_path())
