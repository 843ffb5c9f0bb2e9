"""Multilingual sentence embeddings: bundled offline models or any sentence-transformers model."""

from __future__ import annotations

from themescope.embeddings.base import Embedder
from themescope.embeddings.registry import BUILTIN
from themescope.embeddings.st import SentenceTransformerEmbedder


def load_embedder(
    name: str | None = None, device: str = "auto", batch_size: int = 32, language: str | None = None
) -> Embedder:
    """'builtin' (default: multilingual-e5-small and multilingual USE v3 side by side, see
    ``ensemble``, with a third model for a corpus in a ``language`` that has one, see
    ``specialists``), 'builtin-multilingual' (the pair alone, whatever the language),
    'builtin-e5' or 'builtin-use' (one of the two; 'builtin-use-per-text' is USE as the pair
    runs it, one text per pass), all listed in ``registry``, or a
    sentence-transformers model name or local path, loaded offline."""
    spec = BUILTIN.get(name or "builtin")
    if spec is not None:
        return spec.build(device, batch_size, language)
    return SentenceTransformerEmbedder(name, device=device, batch_size=batch_size)


def embedder_for(settings, language: str | None = None) -> Embedder:
    """The model an ``[embeddings]`` config section names, for a corpus in ``language``."""
    return load_embedder(settings.model, settings.device, settings.batch_size, language)


def model_identity(name: str | None, language: str | None = None) -> str:
    """What identifies a model's vectors, known without loading it (for the stage cache);
    ``language`` as given to ``load_embedder``."""
    import hashlib
    from importlib import metadata
    from pathlib import Path

    name = name or "builtin"
    spec = BUILTIN.get(name)
    identity = name + (f"|{spec.variant}" if spec and spec.variant else "")
    for package in spec.identity_packages(language) if spec else ["sentence-transformers"]:
        try:
            identity += f"|{package}={metadata.version(package)}"
        except metadata.PackageNotFoundError:
            identity += f"|{package}=none"
    path = Path(name).expanduser()
    if spec is None and path.exists():
        digest = hashlib.sha256()
        for file in sorted(p for p in path.rglob("*") if p.is_file()):
            stat = file.stat()
            digest.update(f"{file.relative_to(path)}|{stat.st_size}|{stat.st_mtime_ns}".encode())
        identity += f"|{path.resolve()}|{digest.hexdigest()}"
    return identity


__all__ = ["Embedder", "embedder_for", "load_embedder", "model_identity"]
