"""Everything that is not UI: store, importers, index, search, user data.

Nothing below this package may import Textual (tests/core/test_architecture.py enforces it).
"""

from reader.core.whoosh_imports import load as _load_whoosh

_load_whoosh()
