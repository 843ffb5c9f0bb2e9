"""Words for c-TF-IDF in every script: Chinese segmented by jieba, the rest split on word boundaries.

jieba mis-segments Traditional Chinese (圍/堵亞/太), so each Han run is converted to
Simplified with OpenCC, segmented, and the tokens are cut from the *original* run by
offset: keywords stay in the paragraph's own script. OpenCC's character conversion keeps
the length; where a phrase conversion would not, the run is segmented as it is.

Tokens are computed once per paragraph (``Tokens``, a cached stage of its own) and BERTopic
gets them pre-analysed: it tokenises the same documents in fit, update_topics and
reduce_topics, and jieba is the slow part (BERTopic issue 2507).
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_KANA = re.compile(r"[\u3040-\u30ff]")
# Japanese parts of speech kept as keywords (UniDic): nouns, and the suffix that completes one.
_JA_NOUN, _JA_SUFFIX = "名詞", "接尾辞"
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_STOPWORD_LANGS = ("zh", "en", "ru", "ja", "de", "fr", "es", "ko")


@cache
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


@cache
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")


@cache
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


@cache
def _japanese_tagger():
    """MeCab (fugashi) with UniDic-lite, whose dictionary ships inside its PyPI package."""
    import fugashi

    return fugashi.Tagger()


def segment_japanese(text: str) -> list[str]:
    """Nouns of a Japanese text, a noun and its suffix joined (太平+洋 -> 太平洋)."""
    words: list[str] = []
    previous_noun = False
    for word in _japanese_tagger()(text):
        pos = word.feature.pos1
        if pos == _JA_SUFFIX and previous_noun and words:
            words[-1] += word.surface
            continue
        previous_noun = pos == _JA_NOUN
        if previous_noun:
            words.append(word.surface)
    return words


@cache
def default_stopwords() -> frozenset[str]:
    """stopwords-iso lists for the languages we meet most, Chinese in both scripts."""
    import stopwordsiso

    words: set[str] = set()
    for lang in _STOPWORD_LANGS:
        if stopwordsiso.has_lang(lang):
            words |= {w.lower() for w in stopwordsiso.stopwords(lang)}
    words |= {_s2t().convert(w) for w in words if _HAN_RUN.search(w)}
    return frozenset(words)


# jieba's dictionary holds rare entries that glue a function character onto a common word
# (和普京 "and Putin"): when the stray character is a conjunction, preposition or particle
# and the rest is this many times more frequent than the entry, the entry is split there
# (和 + 普京); so is a character doubled across a word boundary (局局长 -> 局 + 局长). The
# characters are listed: choosing them by frequency also took 大, 人, 道 (大打折扣).
_GLUED_ENTRY_MAX_FREQ = 5
_GLUED_ENTRY_RATIO = 20
_FUNCTION_CHARS = frozenset("和与跟及或并在于以之而把将从向对为的了着也都就又")


def word_starts(run: str) -> list[int]:
    """Where words start inside a run of Han or kana (0 and ``len(run)`` left out): MeCab's
    words when the run holds kana (Japanese), jieba's otherwise, as the tokenizer cuts them.
    For cutting a long text only between words (``corpus.clean.split_long``)."""
    if _KANA.search(run):
        pieces = [word.surface for word in _japanese_tagger()(run)]
        if "".join(pieces) != run:  # MeCab skipped something: no boundary is trusted
            return []
    else:
        pieces = segment_chinese(run)
    starts, position = [], 0
    for piece in pieces[:-1]:
        position += len(piece)
        starts.append(position)
    return starts


def has_cjk(text: str) -> bool:
    """Han or kana anywhere: text whose words are not separated by spaces."""
    return bool(_HAN_RUN.search(text) or _KANA.search(text))


def to_simplified(text: str) -> str:
    """Traditional Chinese characters as Simplified (other text unchanged), for comparing."""
    return _t2s().convert(text)


def segment_chinese(run: str) -> list[str]:
    simplified = _t2s().convert(run)
    if len(simplified) != len(run):
        return [piece for word in _jieba().lcut(run) for piece in _unglue(word)]
    tokens, start = [], 0
    for word in _jieba().lcut(simplified):
        for piece in _unglue(word):
            tokens.append(run[start : start + len(piece)])
            start += len(piece)
    return tokens


def _unglue(word: str) -> list[str]:
    """Split a rare dictionary entry that is a common word plus one stray character."""
    if len(word) < 3:
        return [word]
    frequency = _jieba().get_FREQ(word)
    if frequency is None or frequency > _GLUED_ENTRY_MAX_FREQ:
        return [word]
    threshold = _GLUED_ENTRY_RATIO * max(frequency, 1)
    frequent = _jieba().get_FREQ
    # A character doubled across a word boundary (忽悠局|局长 read as 局局长): 128 entries.
    stray_head = word[0] in _FUNCTION_CHARS or (len(word) == 3 and word[0] == word[1])
    if stray_head and (frequent(word[1:]) or 0) >= threshold:
        return [word[0], word[1:]]
    if word[-1] in _FUNCTION_CHARS and (frequent(word[:-1]) or 0) >= threshold:
        return [word[:-1], word[-1]]
    return [word]


class MultilingualTokenizer:
    """Callable for scikit-learn's CountVectorizer(tokenizer=...): text -> content words."""

    def __init__(self, stopwords: frozenset[str] | None = None, min_cjk_chars: int = 2) -> None:
        self.stopwords = default_stopwords() if stopwords is None else stopwords
        self.min_cjk_chars = min_cjk_chars
        self._memo: dict[str, list[str]] = {}

    def __call__(self, text: str) -> list[str]:
        tokens = self._memo.get(text)
        if tokens is None:
            tokens = self._memo[text] = self._tokenize(text)
        return tokens

    def _tokenize(self, text: str) -> list[str]:
        text = unicodedata.normalize("NFKC", text)
        if _KANA.search(text):  # kana: Japanese; jieba would cut its kanji as Chinese
            return [w for w in segment_japanese(text) if self._keep_japanese(w)]
        tokens: list[str] = []
        position = 0
        for match in _HAN_RUN.finditer(text):
            tokens.extend(self._words(text[position : match.start()]))
            tokens.extend(t for t in segment_chinese(match.group()) if self._keep_cjk(t))
            position = match.end()
        tokens.extend(self._words(text[position:]))
        return tokens

    def _keep_cjk(self, token: str) -> bool:
        # Single characters are almost always function words or fragments (的, 在, 美).
        return len(token) >= self.min_cjk_chars and token not in self.stopwords

    def _keep_japanese(self, word: str) -> bool:
        if word.isdigit() or word in self.stopwords:
            return False
        return len(word) >= self.min_cjk_chars or not _HAN_RUN.fullmatch(word)

    def _words(self, chunk: str) -> list[str]:
        stopwords = self.stopwords
        return [w for w in map(str.lower, _WORD.findall(chunk)) if len(w) > 1 and w not in stopwords]


@dataclass
class Tokens:
    """Each paragraph's content words, computed once (jieba is slow to load and to run) and
    handed to BERTopic as space-joined text, so its c-TF-IDF, topic merging and
    ``update_topics`` never tokenize again (BERTopic issue 2507)."""

    lists: list[list[str]]

    def analyzed(self) -> list[str]:
        # Tokens never contain whitespace; an empty list stays empty (see analyzed_tokens).
        return [" ".join(tokens) for tokens in self.lists]

    def save(self, folder: Path) -> None:
        (folder / "tokens.json").write_text(json.dumps(self.lists, ensure_ascii=False), "utf-8")

    @classmethod
    def load(cls, folder: Path) -> Tokens:
        return cls(json.loads((folder / "tokens.json").read_text("utf-8")))


def tokenize_documents(documents: list[str]) -> Tokens:
    tokenizer = MultilingualTokenizer()
    return Tokens([tokenizer(doc) for doc in documents])


def analyzed_tokens(document: str) -> list[str]:
    """CountVectorizer analyzer for :meth:`Tokens.analyzed` text. BERTopic replaces an empty
    document by the placeholder "emptydoc"; a paragraph without content words has none."""
    return [] if document == "emptydoc" else document.split()
