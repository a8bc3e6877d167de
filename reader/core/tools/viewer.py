"""Opening a file in the user's viewer: `pdf_viewer` from the config, else the system's opener.

A viewer is a window the user reads in, so it is meant to outlive the command that opened it:
it starts in a session of its own (closing the terminal does not close it), its output goes to
a file nobody has to read, and reader waits only a moment to catch a viewer that fails at once.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path

from reader.core.tools.running import ToolError, describe, failure_line, fill

GRACE = 1.5  # seconds to see whether the viewer fails straight away

_HOW_TO = 'set pdf_viewer in the config, e.g. pdf_viewer: "zathura {path}"'


def system_opener() -> list[str] | None:
    """The platform's "open this file" command, if there is one on this machine."""
    if sys.platform == "darwin":
        return ["open"]
    for name in ("xdg-open", "gio"):
        found = shutil.which(name)
        if found:
            return [found, "open"] if name == "gio" else [found]
    return None


def open_file(path: Path, viewer: Sequence[str] | None) -> str:
    """Show path in the viewer; returns the command used. ToolError when there is no viewer
    or it fails at once (its exit status and the last line it wrote on stderr)."""
    if viewer:
        words = fill(viewer, {"path": str(path)})
        if not any("{path}" in word for word in viewer):
            words.append(str(path))
    elif os.name == "nt":
        os.startfile(path)  # type: ignore[attr-defined]  # Windows' own association
        return "the system's viewer"
    else:
        opener = system_opener()
        if opener is None:
            raise ToolError(f"no program to open PDFs with was found; {_HOW_TO}")
        words = [*opener, str(path)]
    name = describe(words)
    with tempfile.TemporaryFile() as errors:
        try:
            process = subprocess.Popen(
                words,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=errors,
                start_new_session=True,
            )
        except OSError as error:
            reason = error.strerror or error
            raise ToolError(f"could not start {name}: {reason}; {_HOW_TO}") from None
        try:
            code = process.wait(GRACE)
        except subprocess.TimeoutExpired:  # still showing the file: the viewer's own window
            threading.Thread(target=process.wait, daemon=True).start()  # reaped when it closes
            return name
        if code != 0:
            errors.seek(0)
            raise ToolError(failure_line(name, code, errors.read()[-8192:]))
    return name
