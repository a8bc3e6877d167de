"""Names a package offers that load on first use, so importing the package stays cheap.

A cold `reader search` is mostly imports, so a package's `__init__` imports what every user of
it needs and lists the rest here: `__getattr__ = later(__name__, {...})` is the module
`__getattr__` of PEP 562, which Python calls for a name the module does not have yet (also
for `from package import name`). The value is kept, so each name is imported once.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping


def later(package: str, names: Mapping[str, tuple[str, str]]) -> Callable[[str], object]:
    """A module `__getattr__` for `package`: name -> (module, name there), imported when asked."""

    def __getattr__(name: str) -> object:
        try:
            module, attribute = names[name]
        except KeyError:
            raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        value = getattr(importlib.import_module(module), attribute)
        setattr(importlib.import_module(package), name, value)
        return value

    return __getattr__
