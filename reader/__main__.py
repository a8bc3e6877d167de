"""`python -m reader`, and the `reader` command (pyproject's entry point is run() here).

Nothing is loaded until the command runs. An index worker is spawned, and a spawned process
runs its parent's main script first (as `__mp_main__`, so not the command itself): the
`reader` script pip writes imports its entry point's module, and with the CLI's module there,
every worker of an import from the `reader` command loaded the whole CLI before its own work.
(`python -m reader` is spared that: multiprocessing skips a package's __main__.)
"""

from __future__ import annotations

from typing import NoReturn


def run() -> NoReturn:
    """reader.cli.run(): the command, then the process's end."""
    from reader.cli import run as run_command

    run_command()


if __name__ == "__main__":
    run()
