"""The corpus's keyword vocabulary, embedded once: what ``labels.rerank_keywords`` compares
with each topic.

A stage of its own, keyed by the tokens and the model, so a topics-only re-run never loads
the embedding model (USE v3's tokenizer alone takes a second to load). Words used in a single
paragraph are left out: they describe that paragraph, not a topic, and embedding every one
would cost more than the rest of a small run.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from themescope.topics.tokenize import Tokens

MIN_PARAGRAPHS = 2
# The most widely used words are embedded up to this many (e5 embeds ~400 words/s here).
MAX_WORDS = 5000


@dataclass
class WordVectors:
    words: list[str]
    vectors: np.ndarray  # [len(words), dim]

    def lookup(self, words: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Vectors for ``words`` (zero rows for unknown ones) and which were known."""
        index = {w: i for i, w in enumerate(self.words)}
        dim = self.vectors.shape[1] if self.vectors.ndim == 2 else 0
        out = np.zeros((len(words), dim), dtype=np.float32)
        known = np.array([w in index for w in words], dtype=bool)
        for row, word in enumerate(words):
            if word in index:
                out[row] = self.vectors[index[word]]
        return out, known

    def save(self, folder: Path) -> None:
        np.save(folder / "word_vectors.npy", self.vectors)
        (folder / "words.json").write_text(json.dumps(self.words, ensure_ascii=False), "utf-8")

    @classmethod
    def load(cls, folder: Path) -> WordVectors:
        words = json.loads((folder / "words.json").read_text("utf-8"))
        return cls(words, np.load(folder / "word_vectors.npy", allow_pickle=False))


def vocabulary(tokens: Tokens, max_words: int = MAX_WORDS) -> list[str]:
    """Words in at least ``MIN_PARAGRAPHS`` paragraphs, most widely used first (ties by word)."""
    counts = Counter(word for words in tokens.lists for word in set(words))
    kept = [(n, w) for w, n in counts.items() if n >= MIN_PARAGRAPHS]
    kept.sort(key=lambda item: (-item[0], item[1]))
    return [w for _, w in kept[:max_words]]


def embed_vocabulary(tokens: Tokens, embed: Callable[[list[str]], np.ndarray]) -> WordVectors:
    words = vocabulary(tokens)
    vectors = np.asarray(embed(words), dtype=np.float32) if words else np.zeros((0, 0), np.float32)
    return WordVectors(words, vectors)
