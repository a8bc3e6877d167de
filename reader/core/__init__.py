"""Everything that is not UI: store, importers, index, search, user data.

Nothing below this package may import Textual (tests/core/test_architecture.py enforces it),
and only its index and search rooms import Whoosh (tests/core/index/test_whoosh_seam.py).
"""
