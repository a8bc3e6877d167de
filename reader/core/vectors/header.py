"""A vector file's header, read without numpy: what an index open checks for every segment.

Layout (FORMAT.md): 32 bytes of header, little-endian: the magic b"RDRVECS\n", the row count
(uint32), the dimensions (uint16), the format version (uint16), the fingerprint of the model
that wrote the rows (8 bytes), 8 bytes of zeros; then every row's sign-bit code (DIM / 8 bytes
each), then every row's int8 components (DIM bytes each).
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

MAGIC = b"RDRVECS\n"
VERSION = 1
DIM = 256  # the model's dimensions (reader.core.vectors.model checks its table has them)
CODE_BYTES = DIM // 8
HEADER = struct.Struct("<8sIHH8s8x")  # magic, rows, dimensions, version, model fingerprint
HEADER_SIZE = HEADER.size


class VectorFileError(Exception):
    """A vector file is missing, cut short or not one (the reason, in words)."""


def file_size(count: int) -> int:
    return HEADER_SIZE + count * (CODE_BYTES + DIM)


def pack_header(count: int, fingerprint: bytes) -> bytes:
    return HEADER.pack(MAGIC, count, DIM, VERSION, fingerprint)


def read_header(path: Path, expected: int | None = None) -> tuple[int, bytes]:
    """(rows, model fingerprint) of a vector file, its header checked against its size and
    `expected` rows if given; VectorFileError says what is wrong."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(HEADER_SIZE)
            size = os.fstat(handle.fileno()).st_size
    except FileNotFoundError:
        raise VectorFileError(f"the vector file {path.name} is missing") from None
    except OSError as error:
        raise VectorFileError(f"the vector file {path.name} is unreadable ({error})") from None
    if len(head) < HEADER_SIZE or head[:8] != MAGIC:
        raise VectorFileError(f"{path.name} is not a vector file")
    _, count, dim, version, fingerprint = HEADER.unpack(head)
    if version != VERSION or dim != DIM:
        raise VectorFileError(f"{path.name} is in another format ({version}, {dim} dims)")
    if size != file_size(count):
        raise VectorFileError(f"the vector file {path.name} is cut short or overwritten")
    if expected is not None and count != expected:
        raise VectorFileError(
            f"the vector file {path.name} holds {count} rows for {expected} documents"
        )
    return count, fingerprint
