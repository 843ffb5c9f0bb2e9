"""Bytes to text: BOMs first, then strict UTF-8 (or UTF-8 with a few bad bytes, replaced and
named), then charset-normalizer's guess and the common legacy encodings, scored by how
plausible the text each one gives is."""

from __future__ import annotations

import codecs
import functools
import gzip
import io
import itertools
import re
import zlib

from themescope.errors import InputError

_BOMS = [
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
# Legacy encodings pages come in, tried after the detector's own guess: Western and Central
# European, Chinese, Japanese, Cyrillic, Greek, Turkish.
_FALLBACKS = [
    "cp1252",
    "cp1250",
    "gb18030",
    "big5hkscs",
    "cp932",
    "euc_jp",
    "cp1251",
    "koi8_r",
    "cp1253",
    "cp1254",
]
# The languages each single-byte encoding was made for (py3langid's codes): between readings
# equally plausible letter by letter, the one made for the text's language wins.
_WESTERN = {
    "en",
    "fr",
    "de",
    "es",
    "it",
    "pt",
    "nl",
    "da",
    "sv",
    "no",
    "nb",
    "fi",
    "is",
    "ca",
    "eu",
    "gl",
    "af",
    "ga",
    "lb",
    "oc",
    "wa",
    "br",
    "fo",
    "id",
    "ms",
    "sw",
    "la",
}
_CENTRAL = {"cs", "pl", "sk", "hu", "sl", "hr", "ro", "bs", "sq"}
_CYRILLIC = {"ru", "uk", "bg", "sr", "be", "mk", "kk", "ky", "mn"}
_MADE_FOR = {
    "cp1252": _WESTERN,
    "iso8859-1": _WESTERN,
    "iso8859-15": _WESTERN,
    "cp1250": _CENTRAL,
    "iso8859-2": _CENTRAL,
    "cp1251": _CYRILLIC,
    "koi8-r": {"ru", "bg"},
    "koi8-u": {"uk"},
    "iso8859-5": _CYRILLIC,
    "cp1253": {"el"},
    "iso8859-7": {"el"},
    "cp1254": {"tr", "az"},
    "iso8859-9": {"tr", "az"},
}
_JAPANESE = {"cp932", "euc_jp", "shift_jis", "euc_jis_2004", "shift_jis_2004", "iso2022_jp"}
# A file that is UTF-8 but for a few bytes (a stray Latin-1 character pasted in) is read as
# UTF-8, those bytes shown as U+FFFD and named, when it has at least this many valid non-ASCII
# characters and twice as many as bad bytes.
_MOSTLY_UTF8 = 3
_SAMPLE_CHARS = 20_000


MB = 1024 * 1024
# input.max_decompressed_mb = "auto": no file above AUTO_MAX_MB once read, and a gzip file at
# most GZIP_RATIO times its compressed size (text compresses 3-15x; 1 GB of zeros 1000x),
# GZIP_FLOOR_MB at least, so a small .gz of repeated lines is not refused for its ratio.
AUTO_MAX_MB = 1024
GZIP_RATIO = 100
GZIP_FLOOR_MB = 64
_CHUNK = MB


def is_gzip(data: bytes) -> bool:
    return data[:2] == b"\x1f\x8b"


def size_limit(setting: int | str, compressed: int | None = None) -> int:
    """The most bytes a file may hold once read: ``compressed`` is a gzip file's own size."""
    if setting != "auto":
        return int(setting) * MB
    if compressed is None:
        return AUTO_MAX_MB * MB
    return min(AUTO_MAX_MB * MB, max(GZIP_FLOOR_MB * MB, GZIP_RATIO * compressed))


def too_large(source: str, limit: int, setting: int | str, what: str = "") -> InputError:
    """The one line for a file past input.max_decompressed_mb."""
    how = "" if setting != "auto" else f" (auto: {_auto_rule()})"
    return InputError(
        f"{source}: more than {limit / MB:.0f} MB{what}, past input.max_decompressed_mb={setting}{how}; "
        "raise it if the file is real"
    )


def _auto_rule() -> str:
    return f"{AUTO_MAX_MB} MB, a .gz at most {GZIP_RATIO}x its size"


def maybe_gunzip(data: bytes, source: str, max_mb: int | str = "auto") -> bytes:
    """The file's bytes, gunzipped in chunks when it is gzip: decompression stops as soon as
    the output passes the limit, so a gzip bomb costs at most the limit in memory."""
    if not is_gzip(data):
        return data
    limit = size_limit(max_mb, len(data))
    chunks: list[bytes] = []
    total = 0
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as fh:
            while chunk := fh.read(_CHUNK):
                total += len(chunk)
                if total > limit:
                    raise too_large(source, limit, max_mb, " once decompressed")
                chunks.append(chunk)
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(f"{source}: broken gzip file ({exc})") from None
    return b"".join(chunks)


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
    mostly = _mostly_utf8(data)
    if mostly is not None:
        return mostly
    if _looks_like_bomless_utf16(data):
        for name in ("utf-16-le", "utf-16-be"):
            try:
                return data.decode(name), name
            except UnicodeDecodeError:
                continue
    from charset_normalizer import from_bytes

    # Short texts fool every detector (Big5 bytes decode as GB18030, Latin-1 as GB18030 or
    # Central European, Shift-JIS as GB18030), so each candidate that decodes strictly is
    # scored by how plausible its text is.
    best = from_bytes(data).best()
    candidates = [best.encoding] if best is not None and best.encoding not in {"utf_8", "ascii"} else []
    candidates += [name for name in _FALLBACKS if name not in candidates]
    decoded = []
    for name in candidates:
        try:
            decoded.append((data.decode(name), name))
        except (UnicodeDecodeError, LookupError):
            continue
    if decoded:
        # max() keeps the first of equal scores: the detector's own choice wins ties, except
        # against Windows-1252, the most common legacy encoding on the web (French read as
        # Central European gave "Lefčvre", every letter as plausible as "Lefèvre").
        text, name = max(
            decoded,
            key=lambda pair: (
                _plausibility(pair[0]),
                _script_fits(*pair),
                _language_fits(*pair),
                pair[1] == "cp1252",
            ),
        )
        if _looks_like_text(text):
            return text, name
    raise InputError(
        f"{source}: not text in any encoding themescope knows (UTF-8, UTF-16 or a legacy "
        "encoding); a binary file?"
    )


# Random bytes read as KOI8-R or Windows-1251 (every byte decodes) give ~10 % control
# characters and a plausibility of 0.3-0.5; text in a legacy encoding has no control
# characters but tab, line ends and form feed, and a plausibility above 0.9.
_MAX_CONTROL_SHARE = 0.01
_MIN_PLAUSIBILITY = 0.6


def _looks_like_text(text: str) -> bool:
    """Whether the best legacy reading of bytes that are not UTF-8 is text at all."""
    sample = text[:_SAMPLE_CHARS]
    controls = sum(1 for ch in sample if (ord(ch) < 0x20 and ch not in "\t\n\r\x0c") or ch == "\x7f")
    return controls <= _MAX_CONTROL_SHARE * len(sample) and _plausibility(sample) >= _MIN_PLAUSIBILITY


def _mostly_utf8(data: bytes) -> tuple[str, str] | None:
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())  # a real U+FFFD is not bad
    # Valid multi-byte sequences: legacy bytes almost never form them by chance, so even an
    # English page with a few curly quotes and one stray Latin-1 byte counts as UTF-8.
    good = sum(1 for ch in text if ord(ch) > 0x7F) - text.count("\ufffd")
    if bad <= 0 or good < _MOSTLY_UTF8 or good < 2 * bad:
        return None
    lines = [number for number, line in enumerate(text.split("\n"), start=1) if "\ufffd" in line]
    shown = ", ".join(map(str, lines[:5])) + (f" and {len(lines) - 5} more" if len(lines) > 5 else "")
    return text, f"utf-8 ({bad} invalid byte sequence(s) replaced by U+FFFD, line {shown})"


_WORD = re.compile(r"[^\W\d_]+")


def _plausibility(text: str) -> float:
    """Share of characters real text is made of. Mis-decoded text turns into box drawing,
    private-use and rare Han characters, words that mix scripts (J黵gen, JИrТme), Latin words
    made of accented letters (Cyrillic read as Latin-1: Ñàíêöèè) and words whose case flips
    inside (Russian read as KOI8-R instead of CP1251)."""
    text = text[:_SAMPLE_CHARS]
    if not text:
        return 0.0
    good = sum(
        1
        for ch in text
        if (_plausible(ord(ch)) and (not _is_han(ch) or _common_han(ch))) or _common_hangul(ch)
    )
    odd = sum(len(word) for word in _WORD.findall(text) if _odd_word(word))
    return (good - odd) / len(text)


def _odd_word(word: str) -> bool:
    scripts = {_script(ch) for ch in word}
    if len(scripts) > 1:
        return True
    if scripts == {"latin"}:
        accented = sum(1 for ch in word if ord(ch) > 0x7F)
        if accented >= 3 and accented > len(word) / 2:
            return True
    return any(a.islower() and b.isupper() for a, b in itertools.pairwise(word))


def _script(ch: str) -> str:
    code = ord(ch)
    if code < 0x250:
        return "latin"
    if 0x370 <= code < 0x400:
        return "greek"
    if 0x400 <= code < 0x530:
        return "cyrillic"
    if 0x3040 <= code < 0x3100 or _is_han(ch):
        return "cjk"  # Japanese mixes kana and kanji in one word
    if 0xAC00 <= code < 0xD7B0:
        return "hangul"
    return "other"


def _is_han(ch: str) -> bool:
    return 0x4E00 <= ord(ch) <= 0x9FFF


@functools.cache
def _common_han(ch: str) -> bool:
    """In the common tier of a national standard: GB2312 level 1, Big5's frequent characters
    or JIS level 1 (real text is nearly all of these, mis-decoded bytes mostly are not)."""
    tiers = (
        ("gb2312", 0xB0A1, 0xD7FE),
        ("big5", 0xA440, 0xC67E),
        ("cp932", 0x889F, 0x9872),
    )
    for codec, low, high in tiers:
        try:
            encoded = ch.encode(codec)
        except UnicodeEncodeError:
            continue
        if len(encoded) == 2 and low <= (encoded[0] << 8 | encoded[1]) <= high:
            return True
    return False


def _language_fits(text: str, encoding: str) -> bool:
    """Whether the encoding was made for the language the text reads as (Czech read as
    Windows-1252, "pøíliš", still reads as Czech)."""
    languages = _MADE_FOR.get(codecs.lookup(encoding).name)
    if not languages:
        return False
    import py3langid

    return py3langid.classify(text[:_SAMPLE_CHARS])[0] in languages


def _common_hangul(ch: str) -> bool:
    """One of the 2,350 syllables of KS X 1001 (EUC-KR): what Korean text is written with."""
    if not 0xAC00 <= ord(ch) <= 0xD7AF:
        return False
    try:
        encoded = ch.encode("euc_kr")  # Python's codec spells the others as 8-byte sequences
    except UnicodeEncodeError:
        return False
    return len(encoded) == 2


def _script_fits(text: str, encoding: str) -> bool:
    """Between equally plausible readings, kana say Japanese (GB2312 and EUC-JP place kana at
    the same bytes, so both readings show them)."""
    sample = text[:_SAMPLE_CHARS]
    has_kana = any(0x3040 <= ord(ch) < 0x3100 for ch in sample)
    return has_kana == (codecs.lookup(encoding).name in _JAPANESE)


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
        or 0x0370 <= code <= 0x03FF  # Greek
        or 0x0590 <= code <= 0x06FF  # Hebrew, Arabic
        or code in _PLAUSIBLE_SIGNS
    )


# Signs of Western text (« » ° ¿ ¡ · no-break space), unlike ¹ ³ ¼ that misread bytes give.
_PLAUSIBLE_SIGNS = {0xA0, 0xA1, 0xAB, 0xB0, 0xB7, 0xBB, 0xBF}


def _looks_like_bomless_utf16(data: bytes) -> bool:
    """ASCII-heavy UTF-16 without a BOM has a NUL in every other byte."""
    sample = data[:4000]
    if len(sample) < 4:
        return False
    return sample[1::2].count(0) > 0.4 * len(sample) / 2 or sample[0::2].count(0) > 0.4 * len(sample) / 2
