"""`x`: "not for me", for every screen of papers, as `reader dismiss ID` is on the command line.

A dismissed paper leaves For you for good and teaches it (papers like it sink); elsewhere it
stays listed, marked in the detail. `x` on a paper already dismissed takes it back (as
`reader dismiss ID --undo`), and `X` takes back the last paper dismissed here, which For you
no longer lists. The edits go to the data layer's single writer like every other edit; once
one has landed, PaperCommands' `changed` repaints the screens, and a paper taken back is
announced on `back` (the main screen ranks For you again, the paper under the cursor).
"""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding, BindingType
from textual.signal import Signal

from reader.core.library import UserData
from reader.tui.screens.paper_commands import PaperCommands
from reader.tui.textspans import one_line

# For you's keys: x as `reader dismiss ID` (again: --undo), X for what For you no longer lists.
# Not in the footer, which has no room left for them (q and ? would go): For you's line over
# the list names x, and the notice after x names X.
NOT_FOR_ME_KEYS: list[BindingType] = [
    Binding(
        "x",
        "not_for_me",
        "Not for me",
        show=False,
        id="not_for_me",
        priority=True,
        tooltip="Not for me: out of For you, which learns from it (again: take it back)",
    ),
    Binding(
        "X",
        "take_back",
        "Take back",
        show=False,
        id="not_for_me.undo",
        priority=True,
        tooltip="Take back the last paper you said is not for you",
    ),
]
NOT_FOR_ME_LETTERS = {"not_for_me", "take_back"}  # priority letters: text in the search bar


class NotForMe:
    def __init__(self, app: App[object], commands: PaperCommands) -> None:
        self.app = app
        self.commands = commands
        self.data = commands.data
        self.back: Signal[str] = Signal(app, "not-for-me-back")
        self._dismissed: list[str] = []  # this session's dismissals, the last one last

    @property
    def undoable(self) -> bool:
        """`X` has a dismissal to take back."""
        return any(self.data.user.is_dismissed(paper_id) for paper_id in self._dismissed)

    def toggle(self, paper_id: str, undo_key: str) -> bool:
        """Dismiss the paper, or take it back if it is dismissed: whether it is dismissed now."""
        if self.data.user.is_dismissed(paper_id):
            self.take_back(paper_id)
            return False
        self._dismissed = [*(pid for pid in self._dismissed if pid != paper_id), paper_id]
        title = self._title(paper_id)
        said = f"Not for me: {title}. For you leaves it out and learns; {undo_key} takes it back."
        self._edit(paper_id, True, said)
        return True

    def take_back(self, paper_id: str | None = None) -> None:
        """Take a dismissal back: the paper's, else the last one made here still standing."""
        if paper_id is None:
            standing = [pid for pid in self._dismissed if self.data.user.is_dismissed(pid)]
            if not standing:
                self.app.notify("Nothing to take back: no paper was dismissed here.")
                return
            paper_id = standing[-1]
        self._dismissed = [pid for pid in self._dismissed if pid != paper_id]
        self._edit(paper_id, False, f"Taken back: {self._title(paper_id)} is for you again.")

    def _edit(self, paper_id: str, dismissed: bool, said: str) -> None:
        def change(user: UserData) -> None:
            user.set_dismissed(paper_id, dismissed)
            saved.append(True)

        def landed() -> None:
            self.commands.landed()
            if saved:  # else the writer said why
                self.app.notify(said, markup=False)
                if not dismissed:
                    self.back.publish(paper_id)

        saved: list[bool] = []
        self.data.submit(change, after=landed)

    def _title(self, paper_id: str) -> str:
        paper = self.data.get(paper_id)
        return f"“{one_line(paper.title)}”" if paper else paper_id
