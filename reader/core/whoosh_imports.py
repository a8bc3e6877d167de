"""Whoosh without five imports it never uses here: a cold `reader search` is mostly imports.

whoosh.compat imports urllib.request (http.client, email, ssl) for an `urlretrieve` nothing in
Whoosh calls, and html (with its entity tables) for an `escape` only highlighting calls;
whoosh.reading takes its one `cached_property` decorator from the cached_property package,
which imports asyncio; whoosh.query builds the English morphology tables of
whoosh.lang.morph_en (11 ms) for a Variations query reader never makes; and whoosh.util.times
imports calendar (and locale) for a `monthrange` only date parsing calls. Together they cost
about 75 ms of CPU, a third of what starting the search takes. `load()` imports those Whoosh
modules with stand-ins in place (functools has the same decorator; the stand-ins' functions
import the real module when called), then takes the stand-ins away, so any later import gets
the real module.
"""

from __future__ import annotations

import functools
import importlib
import sys
import types
from collections.abc import Callable
from typing import Any


def _later(module: str, name: str) -> Callable[..., Any]:
    """A stand-in function: imports the real module when called, and calls its `name`."""

    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    return call


# module -> what Whoosh takes from it while it loads
_STAND_INS: dict[str, dict[str, object]] = {
    "urllib.request": {"urlretrieve": _later("urllib.request", "urlretrieve")},
    "cached_property": {"cached_property": functools.cached_property},
    "html": {"escape": _later("html", "escape")},
    "calendar": {"monthrange": _later("calendar", "monthrange")},
    "whoosh.lang.morph_en": {"variations": _later("whoosh.lang.morph_en", "variations")},
}


def load() -> None:
    """Import whoosh.compat, whoosh.query and whoosh.reading (once; a no-op if Whoosh is
    loaded)."""
    if "whoosh.reading" in sys.modules:
        return
    stand_ins: dict[str, types.ModuleType] = {}
    for name, attributes in _STAND_INS.items():
        if name not in sys.modules:
            stand_ins[name] = types.ModuleType(name)
            vars(stand_ins[name]).update(attributes)
    sys.modules.update(stand_ins)
    try:
        import whoosh.compat
        import whoosh.query
        import whoosh.reading  # noqa: F401
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
