"""How reader writes a term's postings: Whoosh's W3 blocks, then a compact tail of its own.

Whoosh reads a posting list one posting at a time through a chain of matcher objects, about
10 us per matching document: a common word at 100k papers took a second. So each term's
extent in the postings file ends with a tail that Whoosh never reads (it stops at the last
block): the document numbers as a little-endian uint32 array, the frequencies as bytes, the
positions of text fields as one flat array, then a trailer (FORMAT.md). reader.core.search
turns a posting list, or a term's positions, into arrays with one read each: a phrase checks
whole arrays instead of unpickling positions one posting at a time.
Segments without the tail (written by Whoosh itself) still work: the blocks are decoded then.

Each segment also gets a `.voc` file listing its terms per text field, so fuzzy queries need
not walk Whoosh's term index (the file name follows Whoosh's segment pattern, so Whoosh
deletes it with the segment).
"""

from __future__ import annotations

import json
import struct
import sys
import zlib
from array import array
from bisect import bisect_left
from operator import sub
from pickle import dumps
from typing import NamedTuple

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3TermInfo
from whoosh.filedb.filestore import Storage
from whoosh.filedb.structfile import StructFile
from whoosh.system import pack_int, pack_uint
from whoosh.util.numeric import length_to_byte

from reader.core.index.whoosh_seam import BLOCK_LIMIT, add_block_stats, add_term, postings_out

# zlib costs ~50 us a call even on a few bytes: blocks with fewer postings stay uncompressed.
COMPRESS_MIN = 32
# Block data is pickled with protocol 4, not Whoosh's 2: protocol 2 pickles each bytes value
# (a posting's positions) through a codecs call, 10x slower and 2x longer; Whoosh's loads()
# reads any protocol. Level 1 compresses it as small as Whoosh's level 3, a third faster.
_PROTOCOL = 4
_LEVEL = 1
# magic, postings, positions, bytes per position (0: none), 1 if exact counts are stored
_TRAILER = struct.Struct("<4sIIBB")
_MAGIC = b"RDX2"
_BIG_ENDIAN = sys.byteorder == "big"
VOCAB_EXT = ".voc"
WORDS = "_words"  # the vocabulary file's list of unstemmed title and abstract words


def encode_positions(poses: list[int]) -> bytes:
    """whoosh.formats.Positions.encode: the count, then the pickled position deltas."""
    deltas = [poses[0], *map(sub, poses[1:], poses)] if len(poses) > 1 else poses
    return pack_uint(len(poses)) + dumps(deltas, 2)


def write_term(
    fieldwriter,
    btext: bytes,
    docs: array[int],
    freqs: list[int] | array[int],
    weights: array[float],
    values: list[bytes] | None,
    lengths: array[int] | None,
    fixed_size: int | None = None,
    positions: array[int] | None = None,
) -> None:
    """Write one term's posting blocks and term info exactly as the W3 codec's own
    start_term/add/finish_term would, a block at a time instead of a posting at a time; then
    the compact tail.

    `values` is None for formats without per-posting values, `fixed_size` their size when the
    format's values have a fixed size (stored joined); `lengths` (field length by docnum) is
    None for unscored fields; `positions` (text fields) every posting's positions in posting
    order, `freqs` (uncapped) saying how many each has.
    """
    postfile = postings_out(fieldwriter)
    terminfo = W3TermInfo()
    start = postfile.tell()
    postfile.write(WHOOSH3_HEADER_MAGIC)
    total = len(docs)
    for begin in range(0, total, BLOCK_LIMIT):
        end = min(begin + BLOCK_LIMIT, total)
        postfile.write(
            _block(terminfo, docs[begin:end], weights[begin:end], values, begin, end == total,
                   lengths, fixed_size)
        )  # fmt: skip
    postfile.write(_tail(docs, freqs, positions))
    terminfo.set_extent(start, postfile.tell() - start)
    add_term(fieldwriter, btext, terminfo)


def _block(
    terminfo: W3TermInfo,
    ids: array[int],
    weights: array[float],
    values: list[bytes] | None,
    begin: int,
    last: bool,
    lengths: array[int] | None,
    fixed_size: int | None,
) -> bytes:
    """One W3 block (length, pickled info, pickled and maybe compressed data), recording its
    statistics in `terminfo` as W3TermInfo.add_block() does."""
    count = len(ids)
    if lengths is not None:
        block_lengths = list(map(lengths.__getitem__, ids))
        min_length, max_length = min(block_lengths), max(block_lengths)
    else:
        min_length, max_length = None, 0
    max_weight = max(weights)
    add_block_stats(terminfo, ids, weights, min_length, max_length, max_weight)
    if weights.count(1.0) == count:
        mini_weights = None
    elif weights.count(weights[0]) == count:
        mini_weights = weights[0]
    else:
        mini_weights = tuple(weights)
    if values is None:
        block_values = None
    elif fixed_size:
        block_values = b"".join(values[begin : begin + count])
    else:
        block_values = tuple(values[begin : begin + count])
    deltas = tuple(map(sub, ids, [0, *ids[:-1]]))
    data = dumps((deltas, mini_weights, block_values), _PROTOCOL)
    compression = _LEVEL if count >= COMPRESS_MIN else 0
    if compression:
        data = zlib.compress(data, compression)
    info = dumps(
        (
            count,
            ids[-1],
            max_weight,
            compression,
            length_to_byte(min_length),
            length_to_byte(max_length),
        ),
        2,
    )
    size = len(info) + len(data)
    return pack_int(-size if last else size) + info + data


def _tail(
    docs: array[int], freqs: list[int] | array[int] | bytes, positions: array[int] | None
) -> bytes:
    out = _little(array("I", docs)).tobytes()
    if isinstance(freqs, bytes):
        capped, exact = freqs, True
    else:
        try:
            capped, exact = bytes(freqs), True
        except ValueError:  # a word more than 255 times in one field
            capped, exact = bytes(min(f, 255) for f in freqs), False
    counts = b"" if exact else _little(array("I", freqs)).tobytes()
    width = 0
    stored = b""
    if positions is not None:
        wide = bool(positions) and max(positions) > 0xFFFF
        width = 4 if wide else 2
        stored = _little(array("I" if wide else "H", positions)).tobytes()
    count, npos = len(docs), len(positions) if positions is not None else 0
    trailer = _TRAILER.pack(_MAGIC, count, npos, width, 0 if exact else 1)
    return out + capped + counts + stored + trailer


def _little(values: array[int]) -> array[int]:
    if _BIG_ENDIAN:
        values.byteswap()
    return values


class TermPositions(NamedTuple):
    """A term's postings with their positions, as little-endian arrays in bytes (read them
    with numpy.frombuffer): for a phrase's check over whole arrays."""

    docs: bytes  # uint32 document numbers, ascending
    counts: bytes  # each posting's number of positions: uint8, or uint32 if counts_width is 4
    counts_width: int
    positions: bytes  # every posting's positions in posting order, ascending within each
    width: int  # bytes per position: 2 or 4


def _trailer(postfile: StructFile, offset: int, length: int) -> tuple[int, int, int, int] | None:
    """(postings, positions, bytes per position, 1 if exact counts are stored) of a term's
    tail, or None if the term was written without one."""
    if length < _TRAILER.size:
        return None
    magic, count, npos, width, counted = _TRAILER.unpack(
        postfile.get(offset + length - _TRAILER.size, _TRAILER.size)
    )
    if magic != _MAGIC or count * (5 + 4 * counted) + npos * width + _TRAILER.size > length:
        return None
    return count, npos, width, counted


def read_tail(postfile: StructFile, offset: int, length: int) -> tuple[array[int], bytes] | None:
    """(document numbers, frequencies capped at 255) from a term's tail, or None if the term
    was written without one."""
    found = _trailer(postfile, offset, length)
    if found is None:
        return None
    count, npos, width, counted = found
    start = offset + length - _TRAILER.size - npos * width - count * (5 + 4 * counted)
    raw = postfile.get(start, count * 5)
    docs = array("I")
    docs.frombytes(raw[: count * 4])
    return _little(docs), raw[count * 4 :]


def read_positions(postfile: StructFile, offset: int, length: int) -> TermPositions | None:
    """A term's postings and positions from its tail, in one read; None if the term was
    written without a tail, or without positions (not a text field)."""
    found = _trailer(postfile, offset, length)
    if found is None or not found[2]:
        return None
    count, npos, width, counted = found
    size = count * (5 + 4 * counted) + npos * width
    raw = postfile.get(offset + length - _TRAILER.size - size, size)
    split = count * 5 + 4 * count * counted
    counts = raw[count * 5 : split] if counted else raw[count * 4 : split]
    return TermPositions(raw[: count * 4], counts, 4 if counted else 1, raw[split:], width)


def positions_among(
    postfile: StructFile, offset: int, length: int, wanted: list[int]
) -> dict[int, array[int]] | None:
    """Positions of a term in each of the `wanted` documents (sorted) that hold it, reading
    only theirs: a few papers' positions of a common word are a few small reads. None if the
    term was written without a tail, or without positions."""
    found = _trailer(postfile, offset, length)
    if found is None or not found[2]:
        return None
    count, npos, width, counted = found
    start = offset + length - _TRAILER.size - npos * width - count * (5 + 4 * counted)
    docs = array("I")
    docs.frombytes(postfile.get(start, count * 4))
    counts = array("I" if counted else "B")
    counts.frombytes(postfile.get(start + count * (5 if counted else 4), count * counts.itemsize))
    _little(docs)
    _little(counts)
    first = start + count * (5 + 4 * counted)  # where the positions begin
    out: dict[int, array[int]] = {}
    summed = before = 0  # the postings before `summed` hold `before` positions
    for doc in wanted:
        at = bisect_left(docs, doc)
        if at == count or docs[at] != doc:
            continue
        before += sum(counts[summed:at])
        summed = at
        poses = array("H" if width == 2 else "I")
        poses.frombytes(postfile.get(first + before * width, counts[at] * width))
        out[doc] = _little(poses)
    return out


def write_vocabulary(storage: Storage, segment, vocab: dict[str, list[str]]) -> None:
    """The sorted terms of each text field, for fuzzy matching without Whoosh's term walk."""
    data = json.dumps({name: "\n".join(terms) for name, terms in vocab.items()})
    with storage.create_file(segment.make_filename(VOCAB_EXT)) as handle:
        handle.write(data.encode("utf-8"))


def read_vocabulary(storage: Storage, segment) -> dict[str, list[str]] | None:
    name = segment.make_filename(VOCAB_EXT)
    if not storage.file_exists(name):
        return None
    with storage.open_file(name) as handle:
        data = json.loads(handle.read().decode("utf-8"))
    return {field: text.split("\n") if text else [] for field, text in data.items()}
