"""The registry of bundled models and the Embedder base class's defaults."""

from importlib import metadata

import numpy as np
import pytest

from themescope.embeddings import load_embedder, model_identity, registry
from themescope.embeddings.base import Embedder, normalize
from themescope.embeddings.registry import EmbedderSpec
from themescope.embeddings.specialists import corpus_language, load_specialist
from themescope.embeddings.stage import _Batched, member_widths


class Tiny(Embedder):
    """A model with nothing but ``encode``: every other method is the base class's."""

    def __init__(self, batch_size: int = 32) -> None:
        self.batch_size = batch_size
        self.dim = 4
        self.name = "builtin-tiny:tiny"
        self.fingerprint = "tiny-1"

    def encode(self, texts, progress=None) -> np.ndarray:
        vectors = np.array([[len(t), t.count(" "), 1.0, 2.0] for t in texts], dtype=np.float32)
        return normalize(vectors.reshape(len(texts), self.dim))


def _tiny(device: str, batch_size: int) -> Embedder:
    return Tiny(batch_size)


def test_the_base_class_gives_every_optional_method_a_default():
    tiny, texts = Tiny(), ["a b", "ccc"]
    np.testing.assert_array_equal(tiny.encode_batched(texts), tiny.encode(texts))
    np.testing.assert_array_equal(tiny.encode_queries(texts), tiny.encode(texts))
    assert tiny.member_widths() == member_widths(tiny) == [4]
    np.testing.assert_array_equal(_Batched(tiny).encode(texts), tiny.encode(texts))
    with pytest.raises(TypeError):
        Embedder()  # encode is the one method a model must write


def test_a_new_builtin_model_is_one_registry_entry(monkeypatch):
    numpy = metadata.version("numpy")
    monkeypatch.setitem(registry.BUILTIN, "builtin-tiny", EmbedderSpec(_tiny, ("numpy",)))
    tiny = load_embedder("builtin-tiny", batch_size=7)
    assert isinstance(tiny, Tiny) and tiny.batch_size == 7
    assert model_identity("builtin-tiny") == f"builtin-tiny|numpy={numpy}"
    # Side by side, by name: widths, fingerprint and identity follow the members.
    monkeypatch.setitem(
        registry.BUILTIN, "builtin-pair", EmbedderSpec(members=("builtin-tiny", "builtin-tiny"))
    )
    pair = load_embedder("builtin-pair")
    assert member_widths(pair) == [4, 4] and pair.name == "builtin:tiny+tiny"
    assert pair.fingerprint == "tiny-1+tiny-1"
    assert model_identity("builtin-pair", "en") == f"builtin-pair|numpy={numpy}|numpy={numpy}"


def test_a_specialist_language_is_one_registry_entry(monkeypatch):
    monkeypatch.setitem(registry.BUILTIN, "builtin-tiny", EmbedderSpec(_tiny, ("numpy",)))
    monkeypatch.setitem(registry.BUILTIN, "builtin", EmbedderSpec(members=("builtin-tiny",), specialist=True))
    monkeypatch.setitem(registry.SPECIALISTS, "xx", EmbedderSpec(_tiny, ("pytest",)))
    assert corpus_language(["xx"] * 10) == "xx"
    assert isinstance(load_specialist("xx"), Tiny) and load_specialist("yy") is None
    assert member_widths(load_embedder(language="xx")) == [4, 4]
    assert member_widths(load_embedder(language="yy")) == [4]
    assert model_identity("builtin", "xx").endswith(f"|pytest={metadata.version('pytest')}")
    assert "pytest" not in model_identity("builtin", "yy")


def test_every_bundled_model_names_the_packages_that_identify_it():
    for name, spec in registry.BUILTIN.items():
        assert (spec.load is None) != (not spec.members), name  # a model or an ensemble
        assert all(member in registry.BUILTIN for member in spec.members), name
        for package in spec.identity_packages("en"):
            assert f"|{package}={metadata.version(package)}" in model_identity(name, "en")
    for spec in registry.SPECIALISTS.values():
        assert spec.load is not None and spec.packages
    # builtin-use's vectors changed with its batching, not with a package: its key says so.
    assert model_identity("builtin-use") != model_identity("builtin-use-per-text").replace("-per-text", "")


def test_use_reports_progress_in_steps_that_add_up():
    use, seen = load_embedder("builtin-use"), []
    texts = [f"sentence {i}" for i in range(300)]
    vectors = use.encode(texts, seen.append)
    assert seen == [256, 44] and vectors.shape == (300, 512)
    np.testing.assert_allclose(use.encode(texts[250:260]), vectors[250:260], atol=1e-6)


def test_a_long_cold_embedding_with_e5_names_the_faster_model():
    enough = registry.SLOW_EMBEDDING_TEXTS
    for model in (None, "builtin", "builtin-multilingual", "builtin-e5"):
        hint = registry.slow_embedding_hint(model, enough)
        assert hint and f"{enough:,} new texts" in hint and '"builtin-use"' in hint, model
        assert registry.slow_embedding_hint(model, enough - 1) is None, model
    # USE is the fast model itself; a sentence-transformers model's speed is not known here.
    for model in ("builtin-use", "builtin-use-per-text", "all-MiniLM-L6-v2"):
        assert registry.slow_embedding_hint(model, 10 * enough) is None, model
