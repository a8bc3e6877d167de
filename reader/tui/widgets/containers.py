"""Layout containers that draw nothing of their own (Textual's BLANK widgets).

The compositor re-renders every widget whose clip touches a changed region, containers too, all
of their lines: for a cursor move in the list that was about a third of the frame's work,
spent on containers that have no border and no content and are covered by their panes.
"""

from __future__ import annotations

from textual.containers import Horizontal, Vertical


class Row(Horizontal):
    """Panes side by side."""

    BLANK = True


class Column(Vertical):
    """Panes one above the other."""

    BLANK = True
