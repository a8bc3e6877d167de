"""Layout containers that draw nothing of their own (Textual's BLANK widgets).

On each frame the compositor re-renders, all lines of it, every widget whose clip (the region
of its container) touches a changed region: containers too, and every pane that shares a
container with the one that changed. So the screens' containers are BLANK (no border, no
content, covered by their panes), and each pane has one of its own: a cursor move in the list
re-renders the list, not the saved searches, the search bar or the detail beside it.
"""

from __future__ import annotations

from textual.containers import Horizontal, Vertical


class Row(Horizontal):
    """Panes side by side."""

    BLANK = True


class Column(Vertical):
    """Panes one above the other."""

    BLANK = True
