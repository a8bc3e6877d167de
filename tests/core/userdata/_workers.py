"""Real processes for the durability tests: a saver to kill -9, an editor to race another.

Run as a script (the tests start it with the venv's python):
    _workers.py saver DATA_DIR          save forever, printing `B kind n` / `E kind n` markers
    _workers.py editor DATA_DIR NAME N  wait for a line on stdin, then make N tag edits
    _workers.py measure                 the same runs with naive writes / no lock, for the report

`READER_TEST_NAIVE=1` swaps atomic writes for open(..., "wb").write and `READER_TEST_NO_LOCK=1`
drops the lock: they exist only to measure what the real code protects against.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from reader.core.durable import TEMP_MARK
from reader.core.paths import DataPaths

NOTE_FILLER = "lorem ipsum [bold]dolor[/] sit amet\n" * 6000  # ~200 KB: saves take a while
NOTE_ID = "2401.00001"


def note_text(n: int) -> str:
    return f"version {n}\n{NOTE_FILLER}end {n}\n"


def tag_id(n: int) -> str:
    return f"p{n:05d}"


def _paths(data_dir: str) -> DataPaths:
    return DataPaths(Path(data_dir), Path(data_dir) / "config")


def _patch_for_measurement() -> None:
    from reader.core.userdata import files, notes

    if os.environ.get("READER_TEST_NAIVE"):

        def naive(target: Path, data: bytes) -> None:
            with open(target, "wb") as handle:
                for start in range(0, len(data), 4096):
                    handle.write(data[start : start + 4096])

        files.atomic_write_bytes = naive  # type: ignore[assignment]
        notes.atomic_write_bytes = naive  # type: ignore[assignment]
    if os.environ.get("READER_TEST_NO_LOCK"):
        files.locked = lambda *args, **kwargs: contextlib.nullcontext()  # type: ignore[assignment]


def saver(data_dir: str) -> None:
    """Forever: tag one more paper, rewrite the big note as the next version, bookmark one more
    paper, queue one more. Each kind resumes from what its file holds, so every file has one
    valid next state."""
    _patch_for_measurement()
    from reader.core.userdata import UserData

    user = UserData(_paths(data_dir))
    counts = {"tags": len(user.tagged()), "bookmarks": len(user.bookmarks())}
    counts["queue"] = len(user.queue)
    counts["note"] = note_version(user.note(NOTE_ID)) + 1
    actions = {
        "tags": lambda n: user.add_tags(tag_id(n), ["t"]),
        "note": lambda n: user.set_note(NOTE_ID, note_text(n)),
        "bookmarks": lambda n: user.set_bookmark(tag_id(n), True),
        "queue": lambda n: user.queue.add([tag_id(n)]),
    }
    print("ready", flush=True)
    while True:
        for kind, action in actions.items():
            n = counts[kind]
            print(f"B {kind} {n}", flush=True)
            action(n)
            print(f"E {kind} {n}", flush=True)
            counts[kind] = n + 1


def note_version(text: str) -> int:
    """The version a note from the saver holds; -1 for no note."""
    return int(text.split("\n", 1)[0].split()[1]) if text else -1


class KillChecker:
    """After each kill: every file must read cleanly and hold exactly the state of its last
    finished save, or of the save in flight when the kill came; nothing else."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        # papers tagged, bookmarked, queued; the note's version
        self.state = {"tags": 0, "bookmarks": 0, "queue": 0, "note": -1}

    def check(self, lines: list[str]) -> tuple[str | None, bool]:
        """(a problem, or None if intact; whether the kill came in the middle of a save)."""
        from reader.core.userdata import UserData

        allowed = {kind: {value} for kind, value in self.state.items()}
        in_flight = False
        for line in lines:
            marker, kind, n_text = line.split()
            value = int(n_text) if kind == "note" else int(n_text) + 1
            if marker == "E":
                allowed[kind] = {value}
            else:
                allowed[kind] = allowed[kind] | {value}
            in_flight = marker == "B"
        user = UserData(_paths(str(self.data_dir)))
        if user.load_errors:
            return f"unreadable after kill: {user.load_errors[0]}", in_flight
        observed = {
            "tags": len(user.tagged()),
            "bookmarks": len(user.bookmarks()),
            "note": note_version(user.note(NOTE_ID)),
            "queue": len(user.queue),
        }
        for kind, value in observed.items():
            if value not in allowed[kind]:
                return f"{kind} holds state {value}, expected one of {allowed[kind]}", in_flight
        if user.tagged() != {tag_id(i): ["t"] for i in range(observed["tags"])}:
            return "tags.yaml holds other content than any save wrote", in_flight
        if user.bookmarks() != {tag_id(i) for i in range(observed["bookmarks"])}:
            return "bookmarks.yaml holds other content than any save wrote", in_flight
        if user.queue.ids() != [tag_id(i) for i in range(observed["queue"])]:
            return "queue.yaml holds other content than any save wrote", in_flight
        if observed["note"] >= 0 and user.note(NOTE_ID) != note_text(observed["note"]):
            return "the note holds other content than any save wrote", in_flight
        self.state = observed
        return None, in_flight


def editor(data_dir: str, name: str, count: int) -> None:
    _patch_for_measurement()
    from reader.core.userdata import UserData

    user = UserData(_paths(data_dir))
    print("ready", flush=True)
    sys.stdin.readline()
    for i in range(count):
        user.add_tags(f"{name}-{i:04d}", [name])
        user.queue.add([f"{name}-{i:04d}"])


@dataclass(slots=True)
class KillRun:
    problem: str | None  # None: every file intact
    mid_save: bool  # the kill came between a save's start and end markers
    temps_left: int  # temp files the killed saver left (the next start removes them)


def run_kills(data_dir: Path, runs: int, seed: int, env: dict[str, str]) -> list[KillRun]:
    """Start the saver `runs` times and SIGKILL it at a seeded random moment; check each run.

    After a damaged run the user folder is wiped so later runs measure afresh.
    """
    rng = random.Random(seed)
    checker = KillChecker(data_dir)
    results = []
    for _ in range(runs):
        with tempfile.TemporaryFile("w+") as errors:
            child = subprocess.Popen(
                [sys.executable, __file__, "saver", str(data_dir)],
                stdout=subprocess.PIPE,
                stderr=errors,
                env=env,
                text=True,
            )
            assert child.stdout is not None
            first = child.stdout.readline()
            if first.strip() == "ready":
                time.sleep(rng.uniform(0.0, 0.25))
                child.send_signal(signal.SIGKILL)
            rest = child.stdout.read()  # the same buffered reader: no marker is lost
            child.wait()
            if child.returncode != -signal.SIGKILL:
                errors.seek(0)
                raise RuntimeError(f"saver stopped on its own: {errors.read().strip()[-800:]}")
        temps = len(list((data_dir / "user").rglob(f"*{TEMP_MARK}*")))
        problem, in_flight = checker.check(rest.splitlines())
        results.append(KillRun(problem, in_flight, temps))
        if problem:
            shutil.rmtree(data_dir / "user", ignore_errors=True)
            checker = KillChecker(data_dir)
    return results


def run_editors(data_dir: Path, count: int, env: dict[str, str]) -> list[int]:
    """Two editors at once, released together; their exit codes."""
    children = [
        subprocess.Popen(
            [sys.executable, __file__, "editor", str(data_dir), name, str(count)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            text=True,
        )
        for name in ("a", "b")
    ]
    for child in children:
        assert child.stdout is not None
        child.stdout.readline()
    for child in children:
        assert child.stdin is not None
        child.stdin.write("go\n")
        child.stdin.flush()
    for child in children:
        child.communicate(timeout=600)
    return [child.returncode for child in children]


def measure() -> None:
    """Print what naive writes and unlocked edits lose, next to the real code."""
    for label, extra in (("atomic", {}), ("naive", {"READER_TEST_NAIVE": "1"})):
        with tempfile.TemporaryDirectory() as tmp:
            results = run_kills(Path(tmp), 20, 7, {**os.environ, **extra})
            intact = sum(run.problem is None for run in results)
            mid = sum(run.mid_save for run in results)
            print(
                f"kill -9 during saves, {label} writes: {intact} of {len(results)} intact "
                f"({mid} kills mid-save)"
            )
    for label, extra in (("locked", {}), ("unlocked", {"READER_TEST_NO_LOCK": "1"})):
        with tempfile.TemporaryDirectory() as tmp:
            run_editors(Path(tmp), 200, {**os.environ, **extra})
            from reader.core.userdata import UserData

            kept = len(UserData(_paths(tmp)).tagged())
            print(f"2 processes x 200 edits, {label}: {kept} of 400 kept")


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "saver":
        saver(sys.argv[2])
    elif command == "editor":
        editor(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    elif command == "measure":
        measure()
    else:
        raise SystemExit(f"unknown command {command}")
