"""What every command handler gets: the parsed options, the library, and output helpers."""

from __future__ import annotations

import argparse
import json
import sys
from functools import cached_property

from reader.core.library import DataPaths, Library


class Context:
    """What every command handler gets: the parsed options, the library, and output helpers."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.json = bool(getattr(args, "json", False))
        self.paths = DataPaths.resolve(args.data_dir)
        self.changed = False  # set once a command that may change data has run

    @cached_property
    def _library(self) -> Library:
        return Library(self.paths)

    def library(self) -> Library:
        return self._library

    def emit(self, data: object, human: str | None = None) -> None:
        """Exactly one JSON document with --json; else the human text."""
        if self.json:
            sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        elif human is not None:
            sys.stdout.write(human if human.endswith("\n") or not human else human + "\n")

    def close(self) -> None:
        if "_library" in self.__dict__:
            library = self._library
            for message in (library.store_message, library.index_message):
                if message:  # a damaged store or index was set aside: say so, once
                    print(f"reader: {message}", file=sys.stderr)
            library.close()
