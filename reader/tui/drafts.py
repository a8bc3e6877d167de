"""A note's unsaved text, kept when the app quits over it: the editor offers it next time.

`ctrl+q` quits at once, even over a note being written, and nothing typed is lost: the text
goes to `<data dir>/user/drafts/<paper id>.md` (beside the notes, written atomically), and
the next time that paper's note is opened the editor offers to restore or discard it. A draft
is not the note: search and export see it only once it is restored and saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from reader.core.library import DataPaths, atomic_write_text, safe_file_name


@dataclass(frozen=True, slots=True)
class Draft:
    text: str
    kept_at: str  # local time, "2025-03-14 18:02"


class DraftSlot:
    """Where one paper's note draft is kept."""

    def __init__(self, paths: DataPaths, paper_id: str) -> None:
        self.path = paths.user_dir / "drafts" / f"{safe_file_name(paper_id)}.md"

    def keep(self, text: str) -> Path:
        """Keep the text (OSError when it cannot be written)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(self.path, text)
        return self.path

    def find(self) -> Draft | None:
        """The kept draft, if there is one that can be read."""
        try:
            text = self.path.read_text(encoding="utf-8")
            moment = datetime.fromtimestamp(self.path.stat().st_mtime)
        except (OSError, UnicodeDecodeError):
            return None
        return Draft(text, moment.strftime("%Y-%m-%d %H:%M"))

    def drop(self) -> None:
        """The draft was restored and saved, or discarded: it goes."""
        self.path.unlink(missing_ok=True)
