"""Two bundled models side by side: e5-small and USE v3, each unit length, concatenated.

On SIB-200 neither model wins every language (e5 is weak on Russian and Japanese, USE on
Chinese); their concatenation is at least as good as the better one in each language and
lifts Russian by 0.08 V-measure over e5 alone (bench/topics_quality.py). USE costs about
150 MiB and a tenth of e5's encoding time, so the pair is the default ("builtin").
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from themescope.embeddings.base import Embedder, ProgressCallback, normalize


class ConcatenatedEmbedder(Embedder):
    def __init__(self, name: str, members: Sequence[Embedder]) -> None:
        self.members = list(members)
        self.name = name
        self.dim = sum(m.dim for m in self.members)
        self.fingerprint = "+".join(m.fingerprint for m in self.members)

    def encode(self, texts: Sequence[str], progress: ProgressCallback | None = None) -> np.ndarray:
        # Progress counts texts once: the slowest member (the first) reports it.
        parts = [member.encode(texts, progress if i == 0 else None) for i, member in enumerate(self.members)]
        return self._join(parts)

    def encode_batched(self, texts: Sequence[str]) -> np.ndarray:
        return self._join([m.encode_batched(texts) for m in self.members])

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._join([m.encode_queries(texts) for m in self.members])

    def member_widths(self) -> list[int]:
        return [m.dim for m in self.members]

    @staticmethod
    def _join(parts: list[np.ndarray]) -> np.ndarray:
        # Each member unit length, so each weighs the same in every cosine similarity.
        return normalize(np.hstack([normalize(p) for p in parts]))
