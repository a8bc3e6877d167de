"""The search bar's input: Textual's Input, minus a layout of the whole screen per key.

Input sets its virtual size (its text's width) on every change, and Widget declares that
reactive with layout=True, so each key typed laid out the whole screen before its echo was
drawn, and the layout made every list with its own virtual size (the paper list) refresh
its scrollbar: one more frame drawn while the key's search ran. The bar is one line high with
no scrollbar and a fixed width, so its text's width changes nothing around it; the Input
still scrolls to its cursor, which reads the virtual size, not the layout.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input


class QueryInput(Input):
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)
