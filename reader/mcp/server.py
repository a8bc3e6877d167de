"""`reader mcp`: the tool table and the paper resource served over stdio with the MCP SDK.

The server answers one request at a time on the library (see access.py), turns every failure
into a one-line tool error (the server itself never falls over on a request), ends when its
input closes, and closes the library on SIGTERM, SIGHUP or SIGINT.
"""

from __future__ import annotations

import functools
import inspect
import json
import os
import re
import signal
import sys
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ResourceError, ToolError
from mcp.server.mcpserver.resources import ResourceSecurity
from mcp.types import CallToolResult, TextContent, ToolAnnotations

from reader import __version__
from reader.core.library import Library, annotate, render_export
from reader.mcp.access import LibraryAccess, ToolFailure
from reader.mcp.reading import paper_of
from reader.mcp.tools import UNTRUSTED, ToolSpec, offered

INSTRUCTIONS = (
    "reader is the user's library of research papers (arXiv and Hugging Face Daily Papers "
    "listings) with their bookmarks, tags, notes and saved searches. Search it, read papers, "
    "follow saved searches, and export BibTeX. " + UNTRUSTED
)
PAPER_URI = "reader://paper/{id}"
T = TypeVar("T")
# What a JSON string may hold that some terminals still act on: DEL and the C1 controls
# (U+009B starts an escape sequence like ESC [). JSON escapes only U+0000..U+001F itself.
_C1_ESCAPES = {code: f"\\u{code:04x}" for code in range(0x7F, 0xA0)}
_MORE_AT = re.compile(r"\s*For further information visit \S+")  # pydantic's link per error


def build_server(access: LibraryAccess, *, allow_write: bool) -> MCPServer:
    server = MCPServer(
        "reader",
        version=__version__,
        instructions=INSTRUCTIONS,
        log_level="WARNING",
        middleware=[one_line_tool_errors],
    )
    for tool in offered(access.library, allow_write=allow_write):
        server.add_tool(
            _tool_call(access, tool.handler),
            name=tool.name,
            description=tool.description,
            annotations=_annotations(tool),
        )
    server.resource(
        PAPER_URI,
        name="paper",
        description="A paper as Markdown (title, authors, date, link, tags, abstract) with the "
        "user's note on it. " + UNTRUSTED,
        mime_type="text/markdown",
        # An id is looked up in the store, never used as a path; t:... ids look like drives.
        security=ResourceSecurity(exempt_params=frozenset({"id"})),
    )(_resource_read(access, paper_markdown))
    return server


def paper_markdown(library: Library, id: str) -> str:
    return render_export(annotate([paper_of(library, id)], library.user), "markdown")


def _annotations(tool: ToolSpec) -> ToolAnnotations:
    return ToolAnnotations(
        read_only_hint=not tool.writes,
        destructive_hint=False,
        idempotent_hint=tool.repeatable,
        open_world_hint=False,
    )


def _without_library(handler: Callable[..., object], returns: object) -> inspect.Signature:
    """The handler's signature less its first parameter (the library, which the server
    passes): what the SDK turns into the tool's JSON schema or the resource's URI check."""
    signature = inspect.signature(handler, eval_str=True)
    parameters = list(signature.parameters.values())[1:]
    return signature.replace(parameters=parameters, return_annotation=returns)


def _tool_call(
    access: LibraryAccess, handler: Callable[..., dict[str, object]]
) -> Callable[..., CallToolResult]:
    @functools.wraps(handler)
    def call(**arguments: object) -> CallToolResult:
        return as_result(_run(access, handler, arguments, ToolError))

    call.__signature__ = _without_library(handler, CallToolResult)  # type: ignore[attr-defined]
    return call


def _resource_read(access: LibraryAccess, handler: Callable[..., str]) -> Callable[..., str]:
    @functools.wraps(handler)
    def read(**arguments: object) -> str:
        return _run(access, handler, arguments, ResourceError)

    read.__signature__ = _without_library(handler, str)  # type: ignore[attr-defined]
    return read


def _run(
    access: LibraryAccess,
    handler: Callable[..., T],
    arguments: dict[str, object],
    failure: type[Exception],
) -> T:
    """The handler's answer, or `failure` with one line: what was wrong with the request, or
    what went wrong in reader (READER_DEBUG=1 lets that through with its traceback)."""
    try:
        return access.call(handler, **arguments)
    except ToolFailure as error:
        raise failure(str(error)) from None
    except Exception as error:
        if os.environ.get("READER_DEBUG"):
            raise
        raise failure(" ".join(str(error).split()) or type(error).__name__) from None


async def one_line_tool_errors(ctx: Any, call_next: Callable[[Any], Awaitable[Any]]) -> Any:
    """Arguments that do not fit a tool's schema are refused by the SDK with pydantic's
    report, several lines long; a tool error reaches the agent as one line, like all of ours."""
    result = await call_next(ctx)
    if ctx.method == "tools/call" and isinstance(result, dict) and result.get("isError"):
        for block in result.get("content", ()):
            if block.get("type") == "text":
                block["text"] = " ".join(_MORE_AT.sub("", block["text"]).split())
    return result


def as_result(data: dict[str, object]) -> CallToolResult:
    """The answer twice, as MCP asks: structured, and as compact JSON text for clients that
    read only text. Paper text stays inside JSON strings: data, never prose around it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_C1_ESCAPES)
    return CallToolResult(content=[TextContent(type="text", text=text)], structured_content=data)


def serve(library: Library, *, allow_write: bool) -> int:
    """Serve until the client closes our stdin (the caller then closes the library) or a
    SIGTERM, SIGHUP or Ctrl+C comes (then the library is closed here, and the process ends)."""
    access = LibraryAccess(library)
    server = build_server(access, allow_write=allow_write)
    for name in ("SIGTERM", "SIGHUP", "SIGINT"):
        if (number := getattr(signal, name, None)) is not None:
            signal.signal(number, functools.partial(_stop, access))
    server.run("stdio")
    return 0


def _stop(access: LibraryAccess, signum: int, frame: object) -> None:
    """Close the library after the call under way, then end at once: the SDK's reader of
    stdin is a thread blocked in a read that no signal interrupts, so a clean return from
    the event loop would wait for the client's next line."""
    access.close()
    sys.stderr.flush()
    os._exit(0)
