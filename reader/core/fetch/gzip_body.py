"""A gzip body inflated in steps, so memory grows with the output and never past a cap: a gzip
bomb stops at the cap, not at the end of memory."""

from __future__ import annotations

import zlib

from reader.core.fetch.errors import FetchError

_INFLATE_STEP = 2**20


def gunzip(url: str, data: bytes, cap: int) -> bytes:
    """Decompress at most max_decoded bytes: a gzip bomb stops at the cap, not at OOM."""
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    parts: list[bytes] = []
    size = 0
    try:
        while not inflater.eof:
            part = inflater.decompress(data, min(_INFLATE_STEP, cap + 1 - size))
            progressed = part or len(inflater.unconsumed_tail) < len(data)
            data = inflater.unconsumed_tail
            parts.append(part)
            size += len(part)
            if size > cap:
                bomb = f"the gzip body expands past {cap / 2**20:g} MiB (a gzip bomb?)"
                raise FetchError(url, bomb, verb="read")
            if not progressed:
                break
    except zlib.error as error:
        raise FetchError(url, f"the gzip body is corrupt ({error})", verb="read") from None
    if not inflater.eof:
        raise FetchError(url, "the gzip body is truncated", verb="read")
    return b"".join(parts)
