"""Guided themes: the user names the themes they expect, and the topics that carry them take
those names; paragraphs left as outliers that clearly belong to a found theme join it.

BERTopic's own zero-shot mode assigns documents to a theme above a fixed cosine similarity
before clustering. A fixed threshold does not carry over between models and corpora:
multilingual-e5 puts almost every pair of texts above 0.75. So each theme's similarity to
every paragraph is standardised over the corpus (a z-score), averaged per topic, and themes
are matched one-to-one to topics (Hungarian assignment, scipy). A theme whose best topic
scores too low is reported as not found, never silently dropped; topics that match no
theme stay as discovered topics.

z-scores are relative: a theme the corpus never discusses ("Cooking" on a page about
diplomacy) still has a topic it is least far from. What tells them apart is whether the
theme's own keywords occur there. A topic whose paragraphs use the theme's keywords more
often than the corpus does needs ``MIN_TOPIC_Z``; without that support (no keyword in the
corpus's language) the semantic evidence alone must be strong, ``MIN_TOPIC_Z_UNSUPPORTED``.
On the sample (6 seeds), real themes score 0.46-2.2 on the topic they take, all with keyword
support; unrelated ones 0.36-1.25 without, so an unrelated theme can still name a topic where
the similarity alone passes MIN_TOPIC_Z_UNSUPPORTED ("Football", 2 of 6 seeds).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from themescope.embeddings import embedder_for
from themescope.topics.tokenize import has_cjk, to_simplified

# A topic carries a theme when its paragraphs are, on average, this many standard
# deviations more similar to the theme than the corpus is: with the theme's keywords
# over-represented in the topic, or without.
MIN_TOPIC_Z = 0.3
MIN_TOPIC_Z_UNSUPPORTED = 1.0
# An outlier joins a found theme's topic when it is this far above the corpus.
MIN_OUTLIER_Z = 2.0


@dataclass
class ThemeVectors:
    names: list[str]
    vectors: np.ndarray  # [k, dim], one normalised vector per theme
    keywords: list[list[str]] = field(default_factory=list)  # per theme, as configured

    def save(self, folder: Path) -> None:
        np.save(folder / "themes.npy", self.vectors)
        document = {"names": self.names, "keywords": self.keywords}
        (folder / "themes.json").write_text(json.dumps(document, ensure_ascii=False), "utf-8")

    @classmethod
    def load(cls, folder: Path) -> ThemeVectors:
        document = json.loads((folder / "themes.json").read_text("utf-8"))
        vectors = np.load(folder / "themes.npy", allow_pickle=False)
        return cls(document["names"], vectors, document["keywords"])


def theme_texts(theme) -> list[str]:
    """What describes a theme: its name with its description, and each keyword alone (so a
    theme written in English also finds paragraphs in the languages of its keywords)."""
    head = f"{theme.name}. {theme.description}".strip()
    return [head, *theme.keywords]


def combine(themes, vectors: np.ndarray) -> ThemeVectors:
    """One vector per theme: the normalised mean of its texts' vectors (``theme_texts``)."""
    out, start = [], 0
    for theme in themes:
        count = len(theme_texts(theme))
        mean = vectors[start : start + count].mean(axis=0)
        out.append(mean / (np.linalg.norm(mean) or 1.0))
        start += count
    dim = vectors.shape[1] if vectors.ndim == 2 else 0
    return ThemeVectors(
        [t.name for t in themes],
        np.array(out, np.float32).reshape(len(out), dim),
        [list(t.keywords) for t in themes],
    )


def theme_scores(embeddings: np.ndarray, themes: ThemeVectors) -> np.ndarray:
    """[n, k] similarity of each paragraph to each theme, standardised over the paragraphs."""
    norms = np.linalg.norm(embeddings, axis=1, keepdims=True)
    sims = (embeddings / np.where(norms == 0, 1, norms)) @ themes.vectors.T
    return (sims - sims.mean(axis=0)) / (sims.std(axis=0) + 1e-9)


def keyword_presence(
    documents: list[str], keywords: list[list[str]], matched: list[set[str]] | None = None
) -> np.ndarray:
    """[n, k] whether each document uses any of theme k's keywords. ``matched``: the tokens
    they name, ``keyword_tokens(documents, keywords)``, when the caller already has them."""
    if matched is None:
        matched = keyword_tokens(documents, keywords)
    normalised = [f" {_normalise(d)} " for d in documents]
    token_sets = [set(d.split()) for d in documents]
    presence = np.zeros((len(documents), len(keywords)), dtype=bool)
    for k, (words, tokens) in enumerate(zip(keywords, matched, strict=True)):
        phrases = [f" {w} " for w in map(_normalise, words) if len(w.split()) > 1]
        presence[:, k] = [
            bool(tokens & doc_tokens) or any(p in d for p in phrases)
            for d, doc_tokens in zip(normalised, token_sets, strict=True)
        ]
    return presence


def keyword_tokens(documents: list[str], keywords: list[list[str]]) -> list[set[str]]:
    """Per theme, the documents' tokens that its one-word keywords name.

    Documents are the paragraphs' analysed tokens joined by spaces (``Tokens.analyzed``).
    Chinese is compared in Simplified, inside words, so 制裁 names 經濟制裁. Other keywords
    name the tokens of the same stem (``word_stem``), so санкции names санкций and sanctions
    names sanction. (Keywords of several words are matched as phrases by keyword_presence.)
    """
    vocabulary = {token: _normalise(token) for d in documents for token in d.split()}
    stems = {token: word_stem(norm) for token, norm in vocabulary.items() if not has_cjk(norm)}
    found = []
    for words in keywords:
        needles = [n for n in map(_normalise, words) if n and len(n.split()) == 1]
        inside = [n for n in needles if has_cjk(n)]
        wanted = {word_stem(n) for n in needles if not has_cjk(n)}
        found.append(
            {
                token
                for token, norm in vocabulary.items()
                if any(n in norm for n in inside) or stems.get(token) in wanted
            }
        )
    return found


def _normalise(text: str) -> str:
    return to_simplified(text).lower().strip()


def word_stem(word: str) -> str:
    """A lowercase word's Snowball stem, for the stemmer of its script: Russian for Cyrillic,
    English for Latin (accents folded first, so sanción and sanciones meet at sancion); words
    in other scripts are their own stem. Per script rather than per language because a
    keyword's language is not known, and both sides of a comparison get the same stemmer."""
    import unicodedata

    stemmer = _stemmer_for(word)
    if stemmer is None:
        return word
    if stemmer == "english":
        word = "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))
    return _stemmers(stemmer).stemWord(word)


def _stemmer_for(word: str) -> str | None:
    for char in word:
        if "\u0400" <= char <= "\u04ff":
            return "russian"
        if char.isalpha():
            return "english" if ord(char) < 0x250 else None
    return None


@functools.cache
def _stemmers(language: str):
    import snowballstemmer

    return snowballstemmer.stemmer(language)


def match_themes(
    assignments: np.ndarray, scores: np.ndarray, names: list[str], presence: np.ndarray | None = None
) -> tuple[dict, list]:
    """Topic id -> theme name, and per theme: the topic it took (or None), its score and
    whether the theme's keywords support it (``presence``: ``keyword_presence``)."""
    from scipy.optimize import linear_sum_assignment

    topic_ids = sorted(set(assignments.tolist()) - {-1})
    found: dict[int, str] = {}
    report = [{"name": name, "topic": None, "score": None, "keywords_support": False} for name in names]
    if not topic_ids or not names:
        return found, report
    per_topic = np.array([scores[assignments == t].mean(axis=0) for t in topic_ids])  # [topics, k]
    if presence is None:
        presence = np.zeros(scores.shape, dtype=bool)
    corpus_share = presence.mean(axis=0)
    supported = np.array([presence[assignments == t].mean(axis=0) > corpus_share for t in topic_ids])
    needed = np.where(supported, MIN_TOPIC_Z, MIN_TOPIC_Z_UNSUPPORTED)
    eligible = per_topic >= needed
    for k in range(len(names)):
        report[k]["score"] = round(float(per_topic[:, k].max()), 3)
    # Ineligible pairs can still be chosen by the assignment; they are dropped just below.
    rows, cols = linear_sum_assignment(-np.where(eligible, per_topic, per_topic - 1e3))
    for r, k in zip(rows, cols, strict=True):
        if eligible[r, k]:
            found[topic_ids[r]] = names[k]
            report[k].update(
                topic=topic_ids[r],
                score=round(float(per_topic[r, k]), 3),
                keywords_support=bool(supported[r, k]),
            )
    return found, report


def gather_outliers(assignments: np.ndarray, scores: np.ndarray, found: dict, names: list[str]) -> np.ndarray:
    """Outliers that clearly belong to a found theme join its topic."""
    if not found:
        return assignments
    topic_of_theme = {names.index(name): topic for topic, name in found.items()}
    columns = sorted(topic_of_theme)
    new = assignments.copy()
    for row in np.flatnonzero(assignments == -1):
        best = columns[int(np.argmax(scores[row, columns]))]
        if scores[row, best] >= MIN_OUTLIER_Z:
            new[row] = topic_of_theme[best]
    return new


def embed_themes(themes, settings, embedder=None, language: str | None = None) -> ThemeVectors:
    """Theme texts through the same model as the paragraphs, as queries where the model
    distinguishes them (e5: on the sample, "passage" mode matched 2 of 3 themes, "query" 3)."""
    if embedder is None:  # the paragraphs' model, when the caller has not loaded it already
        embedder = embedder_for(settings, language)
    texts = [text for theme in themes for text in theme_texts(theme)]
    return combine(themes, embedder.encode_queries(texts))
