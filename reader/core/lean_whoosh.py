"""Whoosh without three imports it never uses here: a cold `reader search` is mostly imports.

whoosh.compat imports urllib.request (http.client, email, ssl) for an `urlretrieve` nothing in
Whoosh calls, whoosh.reading takes its one `cached_property` decorator from the
cached_property package, which imports asyncio, and whoosh.query builds the English
morphology tables of whoosh.lang.morph_en (11 ms) for a Variations query reader never makes.
Together they cost about 70 ms of CPU, a third of what starting the search takes. `load()`
imports those Whoosh modules with stand-ins in place (functools has the same decorator; the
stand-ins' functions import the real module when called), then takes the stand-ins away, so
any later import gets the real module.
"""

from __future__ import annotations

import functools
import sys
import types
from typing import Any


def _urlretrieve(*args: Any, **kwargs: Any) -> Any:
    from urllib.request import urlretrieve

    return urlretrieve(*args, **kwargs)


def _variations(word: str) -> Any:
    from whoosh.lang.morph_en import variations

    return variations(word)


def load() -> None:
    """Import whoosh.compat, whoosh.query and whoosh.reading (once; a no-op if Whoosh is
    loaded)."""
    if "whoosh.reading" in sys.modules:
        return
    stand_ins: dict[str, types.ModuleType] = {}
    if "urllib.request" not in sys.modules:
        stand_ins["urllib.request"] = request = types.ModuleType("urllib.request")
        request.urlretrieve = _urlretrieve  # type: ignore[attr-defined]
    if "cached_property" not in sys.modules:
        stand_ins["cached_property"] = cached = types.ModuleType("cached_property")
        cached.cached_property = functools.cached_property  # type: ignore[attr-defined]
    if "whoosh.lang.morph_en" not in sys.modules:
        stand_ins["whoosh.lang.morph_en"] = morph = types.ModuleType("whoosh.lang.morph_en")
        morph.variations = _variations  # type: ignore[attr-defined]
    sys.modules.update(stand_ins)
    try:
        import whoosh.compat
        import whoosh.query
        import whoosh.reading  # noqa: F401
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
