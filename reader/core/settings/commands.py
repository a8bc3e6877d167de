"""The user's own programs named in config.yaml (`pdf_viewer:`, `summarize: {command: ...}`).

A command is a program path or a command line, split the way a POSIX shell splits words
(shlex) but never run through a shell: no pipes, no `$VAR`, no globbing, so a title in a
placeholder can never become a second command. A list of words is taken as it is.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass

DEFAULT_SUMMARY_TIMEOUT = 120.0
MAX_SUMMARY_TIMEOUT = 3600.0
PLACEHOLDERS = ("{id}", "{title}", "{path}")


@dataclass(frozen=True, slots=True)
class Summarizer:
    """`summarize:` in the config: the command that reads a prompt on stdin and writes text."""

    command: tuple[str, ...]
    timeout: float = DEFAULT_SUMMARY_TIMEOUT


def command_line(value: object) -> tuple[str, ...]:
    """The words of a command; ValueError says, in a phrase, what is wrong with value."""
    if isinstance(value, str):
        try:
            words = shlex.split(value)
        except ValueError as error:
            raise ValueError(f"is not a command line ({str(error).lower()})") from None
    elif isinstance(value, list) and all(isinstance(word, str) for word in value):
        words = list(value)
    else:
        raise ValueError(f"must be a command (text, or a list of words), not {_kind(value)}")
    if not words or not words[0].strip():
        raise ValueError("names no program")
    if any("\x00" in word for word in words):
        raise ValueError("holds a NUL character")
    return tuple(words)


def summarizer(value: object) -> Summarizer:
    """`summarize:` as a mapping {command, timeout}, or a command alone."""
    if not isinstance(value, dict):
        return Summarizer(command_line(value))
    unknown = sorted(str(key) for key in value if key not in ("command", "timeout"))
    if unknown:
        raise ValueError(f"has an unknown key {unknown[0]!r} (known: command, timeout)")
    if "command" not in value:
        raise ValueError('needs a command, e.g. summarize: {command: "llm -m my-model"}')
    try:
        command = command_line(value["command"])
    except ValueError as error:
        raise ValueError(f"command {error}") from None
    timeout = value.get("timeout", DEFAULT_SUMMARY_TIMEOUT)
    number = isinstance(timeout, int | float) and not isinstance(timeout, bool)
    if not number or not 1 <= timeout <= MAX_SUMMARY_TIMEOUT:  # type: ignore[operator]
        raise ValueError(
            f"timeout must be a number of seconds from 1 to {MAX_SUMMARY_TIMEOUT:g}, "
            f"not {timeout!r}"
        )
    return Summarizer(command, float(timeout))  # type: ignore[arg-type]


def _kind(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    return repr(value)[:40]
