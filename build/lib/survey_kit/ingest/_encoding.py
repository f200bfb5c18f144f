"""The encoding of a text export: byte-order marks, UTF-16 without BOM, strict UTF-8, then a Western
guess, windows-1252 (what Danish Excel writes) and latin-1; decoding in chunks. Used by
:mod:`survey_kit.ingest.textfile` and the SurveyXact CSV triple reader."""

from __future__ import annotations

import codecs
from pathlib import Path

from survey_kit.ingest._common import data_error

#: Encodings accepted from charset-normalizer's guess when a file is not UTF-8; anything else is
#: read as windows-1252 (what Danish Excel writes), then latin-1 (which decodes any byte).
_WESTERN = {"cp1252", "windows-1252", "latin_1", "iso8859_1", "iso8859_15", "latin-1"}
_SAMPLE_CHARS = 200_000


def decode(path: Path, data: bytes, encoding: str | None = None) -> tuple[str, str, list[str]]:
    """Decode a text export; returns (text, encoding used, notes). See :func:`sniff_encoding`."""
    enc, notes = sniff_encoding(path, data, encoding)
    return data.decode(enc), enc, notes


def sniff_encoding(path: Path, data: bytes, encoding: str | None = None) -> tuple[str, list[str]]:
    """The encoding of a text export; returns (encoding, notes). The file is checked in chunks,
    so no decoded copy of it is held.

    Order: a byte-order mark (UTF-8, UTF-16) decides; UTF-16 without BOM is recognised by its NUL
    bytes; then strict UTF-8; then charset-normalizer's guess if it is a Western encoding; then
    windows-1252; then latin-1.
    """
    notes: list[str] = []
    if encoding is not None:
        try:
            b"".decode(encoding)
        except LookupError:
            raise ValueError(f"encoding: unknown encoding {encoding!r}") from None
        if not _decodes(data, encoding):
            try:
                data.decode(encoding)
            except UnicodeDecodeError as err:
                raise data_error(
                    path, f"cannot be read as {encoding}: byte {err.start} is not valid in that encoding"
                ) from None
        return encoding, notes
    if data.startswith(codecs.BOM_UTF8):
        enc = "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        enc = "utf-16"
    else:
        enc = _utf16_without_bom(data) or ""
    if enc:
        if not _decodes(data, enc):
            raise data_error(path, f"starts like {enc} text but is not valid {enc}")
        return enc, notes
    if _decodes(data, "utf-8"):
        return "utf-8", notes
    candidates = []
    guess = _charset_guess(data)
    if guess in _WESTERN:
        candidates.append(guess)
    candidates += ["cp1252", "latin-1"]
    for enc in candidates:
        if _decodes(data, enc):
            notes.append(f"not UTF-8; read as {enc}")
            return enc, notes
    raise data_error(path, "cannot be decoded as text")  # pragma: no cover - latin-1 decodes all


_CHUNK = 1 << 24


#: The five bytes windows-1252 leaves undefined (Python's codec refuses them).
_CP1252_UNDEFINED = (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")


def _decodes(data: bytes, encoding: str) -> bool:
    """True when ``data`` is valid text in ``encoding`` (checked in chunks, the text is dropped)."""
    name = codecs.lookup(encoding).name
    if name == "iso8859-1":
        return True
    if name == "cp1252":
        return not any(b in data for b in _CP1252_UNDEFINED)
    decoder = codecs.getincrementaldecoder(encoding)()
    view = memoryview(data)
    try:
        for i in range(0, len(data), _CHUNK):
            decoder.decode(view[i:i + _CHUNK])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _decode_head(data: bytes, encoding: str) -> tuple[str, bool]:
    """The first characters of the text (at least ``_SAMPLE_CHARS`` and 64 KB unless the file is
    shorter) and whether that is the whole text."""
    n_bytes = 4 * _SAMPLE_CHARS + 8
    if len(data) <= n_bytes:
        return data.decode(encoding), True
    return codecs.getincrementaldecoder(encoding)().decode(data[:n_bytes]), False


def _decode_all(data: bytes, encoding: str) -> str:
    """The whole text, without a leading byte-order mark."""
    text = data.decode(encoding)
    return text[1:] if text.startswith("\ufeff") else text


def _utf16_without_bom(data: bytes) -> str | None:
    head = data[:4000]
    if len(head) < 4 or b"\x00" not in head:
        return None
    even = head[0::2].count(0)
    odd = head[1::2].count(0)
    half = len(head) // 2
    if odd > 0.4 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.4 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def _charset_guess(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:_SAMPLE_CHARS]).best()
    return None if best is None else best.encoding


def looks_binary(text: str) -> bool:
    """True when decoded text holds NUL bytes or many control characters (not a text table)."""
    sample = text[:65536]
    if not sample:
        return False
    if "\x00" in sample:
        return True
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\r\n\f\x1a")
    return controls > 0.01 * len(sample)
