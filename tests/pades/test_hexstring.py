"""esig's hex-string reader installed into pyHanko behaves exactly like pyHanko's own."""

from __future__ import annotations

import io
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from pyhanko.pdf_utils import generic

from esig.pades import _hexstring

ALPHABET = b"0123456789abcdefABCDEF \n\r\t\x00\x0c%>gZ<(/"


def _outcome(reader: Any, data: bytes) -> tuple[Any, ...]:
    stream = io.BytesIO(data)
    try:
        value = reader(stream)
    except Exception as exc:  # pyHanko's PdfStreamError and friends: compare type and text
        return ("error", type(exc).__name__, str(exc))
    return ("value", type(value).__name__, bytes(value.original_bytes), stream.tell())


def _pyhanko() -> Any:
    _hexstring.install()  # sets _original to pyHanko's function
    return _hexstring._original


@settings(max_examples=1500, derandomize=True)
@given(
    body=st.lists(st.sampled_from(list(ALPHABET)), max_size=80).map(bytes),
    tail=st.sampled_from([b">", b"> 12 0 R", b"", b">>"]),
)
def test_same_result_position_and_error_as_pyhanko(body: bytes, tail: bytes) -> None:
    data = b"<" + body + tail
    assert _outcome(_hexstring.read_hex_string_from_stream, data) == _outcome(_pyhanko(), data)


def test_large_signature_contents_across_blocks() -> None:
    contents = bytes(range(256)) * 200  # 51,200 bytes: 102,400 hex digits, two read blocks
    data = b"<" + contents.hex().encode() + b"\n" + b"00" * 10 + b"> endobj"
    fast = _outcome(_hexstring.read_hex_string_from_stream, data)
    assert fast == _outcome(_pyhanko(), data)
    assert fast[2] == contents + b"\x00" * 10


def test_installed_for_pyhanko_object_reading() -> None:
    _hexstring.install()
    _hexstring.install()  # idempotent: the original is kept
    assert generic.read_hex_string_from_stream is _hexstring.read_hex_string_from_stream
    assert _hexstring._original is not _hexstring.read_hex_string_from_stream
    obj = generic.read_object(io.BytesIO(b"<48656C6C6F>"), None)  # type: ignore[arg-type]
    assert bytes(obj.original_bytes) == b"Hello"
