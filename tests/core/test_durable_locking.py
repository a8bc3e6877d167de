"""The OS lock around read-modify-write: held across processes, released when one dies."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from reader.core.locking import LockBusy, lock_file, locked

HOLDER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from reader.core.locking import locked
    with locked(Path(sys.argv[1]), "tags.yaml"):
        print("held", flush=True)
        sys.stdin.readline()
    """
)


def _hold(lock_dir: Path) -> subprocess.Popen[str]:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(lock_dir)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    return holder


def test_a_lock_held_by_another_process_makes_us_wait_then_give_up(tmp_path: Path) -> None:
    holder = _hold(tmp_path)
    try:
        with (
            pytest.raises(LockBusy, match="another reader has held"),
            locked(tmp_path, "tags.yaml", timeout=0.2),
        ):
            pass
        with locked(tmp_path, "bookmarks.yaml", timeout=0.2):  # other files are not blocked
            pass
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.communicate()
    with locked(tmp_path, "tags.yaml", timeout=5):  # released
        pass


def test_a_killed_holder_releases_the_lock(tmp_path: Path) -> None:
    holder = _hold(tmp_path)
    holder.kill()
    holder.wait()
    with locked(tmp_path, "tags.yaml", timeout=5):
        pass
    assert lock_file(tmp_path, "tags.yaml").parent == tmp_path


def test_the_lock_is_reentrant_in_one_thread(tmp_path: Path) -> None:
    with locked(tmp_path, "notes", timeout=0.2), locked(tmp_path, "notes", timeout=0.2):
        pass
