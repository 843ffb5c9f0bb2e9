"""Bytes to text: BOMs first, then strict UTF-8, then charset-normalizer for legacy encodings."""

from __future__ import annotations

import codecs
import gzip

from themescope.errors import InputError

_BOMS = [
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
# Legacy encodings Chinese pages come in; tried in this order when the detector is unsure.
_CJK_FALLBACKS = ["gb18030", "big5hkscs", "cp932"]


def maybe_gunzip(data: bytes, source: str) -> bytes:
    if data[:2] != b"\x1f\x8b":
        return data
    try:
        return gzip.decompress(data)
    except (OSError, EOFError) as exc:
        raise InputError(f"{source}: broken gzip file ({exc})") from None


def decode(data: bytes, source: str) -> tuple[str, str]:
    """Return (text with \\n line endings, encoding name) or raise InputError naming the file."""
    if not data.strip():
        raise InputError(f"{source}: file is empty")
    text, encoding = _decode(data, source)
    if "\x00" in text:
        raise InputError(f"{source}: looks like a binary file (NUL bytes), not text")
    return text.replace("\r\n", "\n").replace("\r", "\n"), encoding


def _decode(data: bytes, source: str) -> tuple[str, str]:
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError:
                raise InputError(f"{source}: starts with a {name} BOM but does not decode") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if _looks_like_bomless_utf16(data):
        for name in ("utf-16-le", "utf-16-be"):
            try:
                return data.decode(name), name
            except UnicodeDecodeError:
                continue
    from charset_normalizer import from_bytes

    # Short CJK texts fool every detector (Big5 bytes decode as GB18030 and vice versa), so
    # each candidate that decodes strictly is scored by how plausible its characters are.
    best = from_bytes(data).best()
    candidates = [best.encoding] if best is not None and best.encoding not in {"utf_8", "ascii"} else []
    candidates += [name for name in _CJK_FALLBACKS if name not in candidates]
    decoded = []
    for name in candidates:
        try:
            decoded.append((data.decode(name), name))
        except (UnicodeDecodeError, LookupError):
            continue
    if decoded:
        # max() keeps the first of equal scores: the detector's own choice wins ties.
        return max(decoded, key=lambda pair: _plausibility(pair[0]))
    raise InputError(f"{source}: cannot tell the text encoding (not UTF-8, UTF-16, GB18030 or Big5)")


def _plausibility(text: str) -> float:
    """Share of characters real text is made of; mis-decoded CJK turns into box drawing,
    half-width katakana, Greek and private-use characters."""
    if not text:
        return 0.0
    good = sum(1 for ch in text if _plausible(ord(ch)))
    return good / len(text)


def _plausible(code: int) -> bool:
    return (
        0x20 <= code < 0x7F
        or code in (0x09, 0x0A, 0x0D)
        or 0x4E00 <= code <= 0x9FFF  # CJK unified ideographs
        or 0x3000 <= code <= 0x303F  # CJK punctuation
        or 0xFF01 <= code <= 0xFF5E  # full-width ASCII forms
        or 0x2010 <= code <= 0x2027  # dashes, quotes, ellipsis
        or 0x3040 <= code <= 0x30FF  # hiragana, katakana
        or 0x00C0 <= code <= 0x024F  # Latin letters with accents
        or 0x0400 <= code <= 0x04FF  # Cyrillic
    )


def _looks_like_bomless_utf16(data: bytes) -> bool:
    """ASCII-heavy UTF-16 without a BOM has a NUL in every other byte."""
    sample = data[:4000]
    if len(sample) < 4:
        return False
    return sample[1::2].count(0) > 0.4 * len(sample) / 2 or sample[0::2].count(0) > 0.4 * len(sample) / 2
