"""The installed `reader` in a real terminal (tmux): search, bookmark, note, quit, start again.

Keys go in one at a time with send-keys; the screen is read back with capture-pane and polled
with a deadline, never read after a fixed sleep. A private tmux server (-L) keeps the test
away from any tmux the user runs.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from tui_helpers import children, reader_command, running

from reader.core.library.facade import Library
from reader.core.paths import DataPaths
from reader.core.userdata import UserData

pytestmark = [
    pytest.mark.tmux,
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

WAIT_S = 90.0
DONE = "READER-EXITED"


class Terminal:
    def __init__(self, socket: str, session: str) -> None:
        self.socket = socket
        self.session = session

    def tmux(self, *args: str) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=True
        )
        return result.stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.session)

    def key(self, *keys: str) -> None:
        """Named keys (Enter, Escape, C-s), one send-keys each."""
        for key in keys:
            self.tmux("send-keys", "-t", self.session, key)

    def type(self, text: str) -> None:
        """Literal text, one character at a time, as a person types."""
        for char in text:
            self.line(char)

    def line(self, text: str) -> None:
        """Literal text in one go (a lone ";" would be tmux's command separator: escape it)."""
        self.tmux("send-keys", "-t", self.session, "-l", "\\;" if text == ";" else text)

    def wait_for(self, check: Callable[[str], bool], what: str) -> str:
        deadline = time.monotonic() + WAIT_S
        while True:
            text = self.screen()
            if check(text):
                return text
            if time.monotonic() > deadline:
                raise AssertionError(f"gave up waiting for {what}; the screen shows:\n{text}")
            time.sleep(0.1)

    def wait_text(self, needle: str) -> str:
        return self.wait_for(lambda text: needle in text, repr(needle))

    def child_of_shell(self) -> int:
        """The process the pane's shell is running (reader, once it is started)."""
        shell = int(self.tmux("list-panes", "-t", self.session, "-F", "#{pane_pid}").split()[0])
        (child,) = children(shell)
        return child


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    socket = f"reader-test-{os.getpid()}-{tmp_path.name}"
    term = Terminal(socket, "e2e")
    env = {
        "READER_DATA_DIR": str(tmp_path / "data"),
        "HOME": str(tmp_path / "home"),
        "TERM": "xterm-256color",
        "PS1": "$ ",
    }
    # COLUMNS/LINES (set by a test runner) would override the pane's real size.
    exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    term.tmux(
        "-f", "/dev/null", "new-session", "-d", "-s", "e2e", "-x", "140", "-y", "40",
        f"env -u COLUMNS -u LINES {exports} sh",
    )  # fmt: skip
    term.tmux("set-option", "-g", "window-size", "manual")  # no client: keep 140x40
    term.tmux("resize-window", "-t", "e2e", "-x", "140", "-y", "40")
    try:
        yield term
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True, check=False)


def start_reader(term: Terminal) -> None:
    command = shlex.join(reader_command())
    term.line(f"{command}; echo {DONE}-$?")
    term.key("Enter")


def quit_reader(term: Terminal) -> None:
    term.key("q")
    term.wait_for(lambda text: f"{DONE}-0" in text, "reader to exit with status 0")
    term.line("clear")
    term.key("Enter")
    term.wait_for(lambda text: DONE not in text, "a clear screen")


def read_note(term: Terminal) -> None:
    """Enter moves into the detail (the footer loses the list's "⏎ Open"); G scrolls to the
    note at its end. The wait in between is a person's pause: keys sent faster than focus
    moves would go to the list. Now and then k then G again, as a person would: on a loaded
    machine Textual can leave the pane's scroll range short of a just-rendered note until
    the next key re-lays it out."""
    term.key("Enter")
    term.wait_for(lambda text: "⏎ Open" not in text.splitlines()[-1], "the detail to have focus")
    term.key("G")
    polls = iter(range(10**6))

    def note_shown(text: str) -> bool:
        if "written in tmux" in text:
            return True
        if next(polls) % 10 == 9:
            term.key("k", "G")
        return False

    term.wait_for(note_shown, "the note at the end of the detail")


def test_search_bookmark_note_survive_a_restart(terminal: Terminal) -> None:
    start_reader(terminal)
    terminal.wait_text("406 papers")
    terminal.wait_for(lambda text: "building the search index" not in text, "the index")

    terminal.key("/")
    terminal.type("lottery ticket")
    terminal.key("Enter")
    # Each key searches as it comes: the results of "lot" or "lottery tick" (none) may show
    # first, so wait for the query's own.
    terminal.wait_for(
        lambda text: "sorted by relevance" in text and "Lottery" in text, "the Lottery papers"
    )

    terminal.key("b")
    terminal.wait_text("★ bookmarked")
    terminal.key("n")
    terminal.wait_text("Note:")
    terminal.type("written in tmux")
    terminal.key("C-s")
    terminal.wait_text("With notes             1")
    terminal.wait_for(lambda text: "Save and close" not in text, "the editor to close")
    read_note(terminal)
    quit_reader(terminal)

    start_reader(terminal)
    terminal.wait_text("406 papers")
    terminal.key("/")
    terminal.type("is:bookmarked")
    terminal.key("Enter")
    terminal.wait_text("1 paper ·")
    screen = terminal.wait_text("★ bookmarked")  # the detail follows the list a moment later
    assert "Lottery" in screen
    read_note(terminal)
    quit_reader(terminal)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_a_closed_terminal_keeps_the_note_being_written(terminal: Terminal, tmp_path: Path) -> None:
    """Closing the split (SIGHUP) while a note is unsaved: the note is saved and the library
    closed as q closes it, so the next start has nothing to check; and the process ends,
    though the terminal it would write its last frames to is gone."""
    start_reader(terminal)
    terminal.wait_text("406 papers")
    terminal.wait_for(lambda text: "building the search index" not in text, "the index")
    reader = terminal.child_of_shell()
    terminal.key("n")
    terminal.wait_text("Note:")
    terminal.type("typed before the hang-up")
    terminal.wait_text("typed before the hang-up")  # every key reached the editor
    terminal.tmux("kill-server")

    data = tmp_path / "data"
    deadline = time.monotonic() + WAIT_S
    while list((data / ".open").glob("*.lock")):
        assert time.monotonic() < deadline, "reader did not close the library on SIGHUP"
        time.sleep(0.1)
    notes = [path.read_text(encoding="utf-8") for path in (data / "user" / "notes").glob("*.md")]
    assert any("typed before the hang-up" in note for note in notes), notes
    while running(reader):
        assert time.monotonic() < deadline, f"reader (pid {reader}) is still running"
        time.sleep(0.1)


def test_keys_sent_at_once_act_on_the_paper_moved_to(terminal: Terminal, tmp_path: Path) -> None:
    """`j` and `b` in one send-keys (one read for the app, as from a fast typist): the
    bookmark lands on the second paper, the one the cursor moved to."""
    start_reader(terminal)
    terminal.wait_text("406 papers")
    before = terminal.wait_for(lambda text: "building the search index" not in text, "the index")
    terminal.line("jb")
    terminal.wait_for(lambda text: re.search(r"Bookmarked +1 ", text) is not None, "a bookmark")
    quit_reader(terminal)

    user = UserData(DataPaths.resolve(tmp_path / "data"))
    (bookmarked,) = user.bookmarks()
    library = Library(DataPaths.resolve(tmp_path / "data"))
    try:
        paper = library.get(bookmarked)
    finally:
        library.close()
    assert paper is not None
    rows = [line for line in before.splitlines() if "●" in line]  # the unread papers' rows
    assert paper.title[:20] in rows[1], (paper.title, rows[:2])


def test_a_big_library_is_searched_after_its_index_is_rebuilt(
    terminal: Terminal, big_template: Path, tmp_path: Path
) -> None:
    """An index of an older format is rebuilt at the first search; thousands of papers are
    indexed by worker processes, which could not start under the app once (its captured
    output has no file descriptor): "Search failed: bad value(s) in fds_to_keep"."""
    shutil.copytree(big_template, tmp_path / "data")
    record = tmp_path / "data" / "index" / "READER_FORMAT"
    record.write_text(json.dumps({**json.loads(record.read_text()), "format": 4}))
    start_reader(terminal)
    terminal.wait_text("5,000 papers")
    terminal.key("/")
    terminal.type("big paper")
    terminal.key("Enter")
    screen = terminal.wait_for(
        lambda text: "sorted by relevance" in text or "failed" in text, "the results"
    )
    assert "failed" not in screen and "5,000 papers · sorted by relevance" in screen
    assert "older format" in screen  # the notice says the index was rebuilt
    quit_reader(terminal)
    assert json.loads(record.read_text())["format"] > 4
