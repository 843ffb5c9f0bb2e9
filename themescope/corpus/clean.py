"""Line-level rules for scraped Q&A pages: captions, footers, authors, headings, broken paragraphs.

No maintained library knows the layout conventions of Chinese Q&A and news pages, so these
rules are written here, each small and testable on its own. They look at a line's content
only (never at how many blank lines surround it), so a page whose blank lines were collapsed
or whose line endings changed parses the same.
"""

from __future__ import annotations

import re
import unicodedata

from themescope.topics.tokenize import word_starts

# "圖為美國白宮", "图为…", "Photo: …", "圖片來源:…", "(圖/路透)", "Фото: …", "写真:…"
_CAPTION = re.compile(
    r"^\s*(?:[\(（\[【]\s*)?(?:圖為|图为|圖片?\s*[::/／]|图片?\s*[::/／]|圖片來源|图片来源|"
    r"圖片提供|图片提供|圖\s*[//]|图\s*[//]|photo\s*(?:credit)?\s*[::]|image\s*[::]|"
    r"picture\s*[::]|caption\s*[::]|фото\s*[::]|写真\s*[::])",
    re.IGNORECASE,
)
_CAPTION_MAX_CHARS = 80

# Share bars and related-article lists at the end of a page.
_FOOTER = re.compile(
    r"^\s*(?:分享到|分享至|分享給|分享给|相關文章|相关文章|相關閱讀|相关阅读|延伸閱讀|延伸阅读|"
    r"推薦閱讀|推荐阅读|責任編輯|责任编辑|返回搜狐|share\s+(?:this|on)|related\s+(?:articles|posts)|"
    r"read\s+more|поделиться|похожие\s+статьи)\s*[::]?\s*$",
    re.IGNORECASE,
)

# A sentence can end here; a line ending in anything else may have been cut by the layout.
_TERMINAL = set("。.!?!?…;;」』”\"’')）)】]》~～")
# Characters that cannot end a Chinese sentence: pronouns, prepositions, particles, conjunctions.
_DANGLING_ZH = set(
    "的之在和與与及或把被將将對对從从向以為为是他她它我你們们而但且並并就都也又給给讓让使於于著着"
)
_CONTINUATION_START = set(",,、;;::")

AUTHOR_MAX_CHARS = 24
HEADING_MAX_CHARS = 40
# Punctuation that may appear inside a user name ("老遊59", "Terry_W", "A.B.").
_NAME_PUNCT = set("_-.·・'’")


# Whitespace and the invisible characters pages pad lines with: zero-width spaces and joiners,
# direction marks and embeddings, word joiners, the byte-order mark. (str.strip: a regex
# anchored at the end retried every run of spaces inside a line, quadratic on long runs.)
_PADDING = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"  # every str.isspace() character
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\ufeff"
)


def clean_line(line: str) -> str:
    """Strip the whitespace and invisible characters pages pad lines with."""
    return line.strip(_PADDING)


def is_caption(line: str) -> bool:
    return len(line) <= _CAPTION_MAX_CHARS and bool(_CAPTION.match(line))


def is_footer(line: str) -> bool:
    return bool(_FOOTER.match(line))


def _has_punctuation(line: str, allowed: set[str]) -> bool:
    return any(unicodedata.category(ch).startswith("P") and ch not in allowed for ch in line)


def is_author_line(line: str) -> bool:
    """A user name: short, no sentence punctuation, not a number alone."""
    if not line or len(line) > AUTHOR_MAX_CHARS or line.isdigit():
        return False
    if _has_punctuation(line, _NAME_PUNCT):
        return False
    # Names hold at most a few spaces ("Zhang San"); a short sentence in a spaced language has more.
    return line.count(" ") <= 2


def is_heading(line: str) -> bool:
    """A section title: short and not ending like a sentence."""
    return bool(line) and len(line) <= HEADING_MAX_CHARS and line[-1] not in _TERMINAL


def ends_sentence(text: str) -> bool:
    return bool(text) and text[-1] in _TERMINAL


def is_broken_pair(first: str, second: str) -> bool:
    """True when ``second`` continues the sentence that the page layout cut after ``first``."""
    if not first or not second or ends_sentence(first):
        return False
    if second[0] in _CONTINUATION_START:
        return True
    if first[-1] in _DANGLING_ZH:
        return True
    # Spaced languages: "... and the" / "lower-case continuation".
    return (first[-1].isalpha() or first[-1] == ",") and second[0].islower()


def join_broken(first: str, second: str) -> str:
    """Join without a space for CJK, with one for spaced scripts."""
    if first[-1].isascii() and second[0].isascii() and second[0] not in _CONTINUATION_START:
        return f"{first} {second}"
    return first + second


_SENTENCE_END = re.compile(r"(?<=[。!?!?…;;])|(?<=[.!?;])\s+")
_CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")
# Han and kana: scripts written without spaces between words (Hangul has them).
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Characters on each side of a cut that the segmenter sees to find the words around it.
_SEGMENT_CONTEXT = 24


def estimate_tokens(text: str) -> int:
    """Subword tokens a multilingual model sees: about one per CJK character, one per three others.

    An estimate (no tokenizer is loaded while reading); it errs high so chunks fit the window.
    """
    cjk = len(_CJK_CHAR.findall(text))
    return cjk + (len(text) - cjk) // 3 + 1


def split_long(text: str, max_tokens: int) -> list[str]:
    """Split at sentence ends (Chinese 。!? included) into pieces of at most ``max_tokens``."""
    if estimate_tokens(text) <= max_tokens:
        return [text]
    pieces: list[str] = []
    current = ""
    for sentence in (s for s in _SENTENCE_END.split(text) if s and s.strip()):
        # One sentence longer than the window (checked on a bounded prefix: a character is at
        # least a third of a token, and estimating the whole rest each time made a 300,000-
        # character line take 25 s).
        while _longer_than(sentence, max_tokens):
            cut = _cut_point(sentence, max_tokens)
            if current:
                pieces.append(current)
                current = ""
            pieces.append(sentence[:cut])
            sentence = sentence[cut:]
        if current and estimate_tokens(current + sentence) > max_tokens:
            pieces.append(current)
            current = ""
        current += sentence if not current or _is_cjk_boundary(current, sentence) else " " + sentence
    if current.strip():
        pieces.append(current)
    return [p.strip() for p in pieces if p.strip()]


def _longer_than(text: str, max_tokens: int) -> bool:
    return estimate_tokens(text[: 3 * max_tokens + 3]) > max_tokens


def _cut_point(sentence: str, max_tokens: int) -> int:
    """Where to cut a sentence longer than the window: the last word boundary within the
    longest prefix that fits (``_word_boundary``)."""
    low, high = 1, min(len(sentence), 3 * max_tokens + 3)
    while low < high:  # the longest prefix that fits
        mid = (low + high + 1) // 2
        if estimate_tokens(sentence[:mid]) <= max_tokens:
            low = mid
        else:
            high = mid - 1
    if low >= len(sentence):
        return low
    return _word_boundary(sentence, low) or _last_grapheme_boundary(sentence, low)


def _grapheme_boundaries(text: str, end: int) -> set[int]:
    """Positions up to ``end + 1`` where one user-perceived character ends and the next begins
    (Unicode's extended grapheme clusters, as the ``regex`` module finds them: a flag, an
    emoji with its skin tone or joiners, a letter with its combining marks, a Devanagari
    conjunct). ``text`` starts a piece, so at a boundary; ``end`` is within the window, a
    few hundred characters."""
    import regex

    boundaries = {0}
    for cluster in regex.finditer(r"\X", text[: end + 1]):
        boundaries.add(cluster.end())
    return boundaries


def _last_grapheme_boundary(text: str, end: int) -> int:
    """The last position in (0, ``end``] between two grapheme clusters; ``end`` if none."""
    boundaries = [b for b in _grapheme_boundaries(text, end) if 0 < b <= end]
    return max(boundaries) if boundaries else end


def _word_boundary(text: str, end: int) -> int:
    """The last position in (0, ``end``] where a cut splits no word: beside whitespace, where a
    Han or kana character meets another script or punctuation, or between two of the
    segmenter's words inside a run of Han or kana (jieba's, MeCab's for text with kana: the
    words the tokenizer counts); failing those, where a letter meets punctuation ("a,b"); 0
    when there is none (one "word" longer than the window, such as a URL, is cut where it must).

    Only the choice of the position is written here, inside the token estimate's budget; the
    words are the maintained segmenters' (jieba, fugashi) as the tokenizer uses them, loaded
    only when a run of Han or kana is cut."""
    fallback = 0
    whole = _grapheme_boundaries(text, end)
    i = end
    while i > 0:
        left, right = text[i - 1], text[i]
        if i not in whole:  # inside a flag, an emoji sequence, a letter and its marks
            i -= 1
            continue
        if left.isspace() or right.isspace():
            return i if not text[:i].isspace() else fallback
        left_unspaced, right_unspaced = _UNSPACED.match(left), _UNSPACED.match(right)
        if left_unspaced and right_unspaced:
            start = i - 1  # the run around the cut, at most _SEGMENT_CONTEXT on each side
            while start > max(0, i - _SEGMENT_CONTEXT) and _UNSPACED.match(text[start - 1]):
                start -= 1
            stop = i
            while stop < min(len(text), i + _SEGMENT_CONTEXT) and _UNSPACED.match(text[stop]):
                stop += 1
            starts = [start + s for s in word_starts(text[start:stop]) if start + s <= i]
            if starts:
                return starts[-1]
            i = start  # one word up to the window's start: look before it
            continue
        if left_unspaced or right_unspaced:
            return i
        if not fallback and not (left.isalnum() and right.isalnum()):
            fallback = i
        i -= 1
    return fallback


def _is_cjk_boundary(left: str, right: str) -> bool:
    return bool(_CJK_CHAR.match(left[-1:]) or _CJK_CHAR.match(right[:1])) or left[-1:] in "。!?…;」』”"
