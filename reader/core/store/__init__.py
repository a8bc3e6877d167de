"""The store of truth: one SQLite file with a row per paper, its aliases, and upvote history.

database.py is the Store; tables.py its SQL schema; title_keys.py the keys it finds titles
by; upvotes.py the per-fetch upvote counts; changes.py numbers the writes of papers (what the
index has yet to take in); unclean_end.py tells whether the last session died with the
library open, and integrity.py then checks the file (setting a damaged one aside), before
the store opens or beside it (background_check.py).
"""

from reader.core.store import changes, upvotes
from reader.core.store.background_check import StoreCheck
from reader.core.store.database import Store, StoreError, now_iso
from reader.core.store.integrity import check_store, set_aside
from reader.core.store.title_keys import TitleKeys
from reader.core.store.unclean_end import OpenMark
from reader.core.store.upvotes import Trend

__all__ = [
    "OpenMark",
    "Store",
    "StoreCheck",
    "StoreError",
    "TitleKeys",
    "Trend",
    "changes",
    "check_store",
    "now_iso",
    "set_aside",
    "upvotes",
]
