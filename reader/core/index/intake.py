"""The index's own record: the format it is written in, and what it has taken in.

READER_FORMAT (JSON, in the index folder; see FORMAT.md) says which version of reader's
format the segments are in, so an index written by an older reader is rebuilt instead of
misread, and a newer one is refused. It also says up to which store change number every
change of the store is in the index, and the signatures of the user's files as the index
last took them in whole: at open, a store counter and a stat per file tell whether anything
is left to take in, without reading the library.

The record only ever understates: it is written after the commit it describes, and a commit
that is not recorded (a killed process) leaves the older record, which still holds.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

FORMAT_FILE = "READER_FORMAT"
# 1: Whoosh's W3 files with reader's posting tails and vocabulary files (no record file).
# 2: the read field, the digest column, and this record.
# 3: a vector file beside each segment (reader.core.index.segment_vectors).
# 4: text fields' positions as flat arrays in each term's posting tail (postings.py).
# 5: a term's postings are only reader's own (no Whoosh blocks before them).
FORMAT_VERSION = 5

Signatures = dict[str, str]  # user file (or folder) name -> signature


@dataclass(slots=True)
class Intake:
    format: int = FORMAT_VERSION
    store_change: int = 0  # every change of the store numbered up to this is in the index
    user: Signatures = field(default_factory=dict)  # the user's files as last taken in whole

    def to_dict(self) -> dict[str, object]:
        return {"format": self.format, "store_change": self.store_change, "user": self.user}


def read_intake(folder: Path) -> Intake | None:
    """The record, or None if there is none (an index of format 1) or it is unreadable."""
    try:
        data = json.loads((folder / FORMAT_FILE).read_text(encoding="utf-8"))
        version, change, user = data["format"], data.get("store_change", 0), data.get("user", {})
    except (OSError, ValueError, TypeError, KeyError):
        return None
    if not isinstance(version, int) or not isinstance(change, int) or not isinstance(user, dict):
        return None
    return Intake(version, change, {str(k): str(v) for k, v in user.items()})


def write_intake(folder: Path, intake: Intake) -> None:
    """Written to a temp file and renamed: a reader sees the old record or the new one."""
    temp = folder / f".{FORMAT_FILE}.{os.getpid()}"
    try:
        temp.write_text(json.dumps(intake.to_dict()), encoding="utf-8")
        os.replace(temp, folder / FORMAT_FILE)
    finally:
        temp.unlink(missing_ok=True)
