"""Real BERTopic on real embeddings: the sample's themes, and corpora too small to cluster."""

import re

import numpy as np
import pytest

from themescope.config import TopicsConfig
from themescope.corpus import read_corpus
from themescope.embeddings import load_embedder
from themescope.pipeline import fit_topics
from themescope.topics.stability import mean_pairwise_ari, perturb_vectors

from ..conftest import SAMPLE

# Real BERTopic fits of the sample and of grouped corpora: seconds to minutes each.
pytestmark = pytest.mark.slow

WHOLE_CHINESE_WORD = re.compile(r"^[\u4e00-\u9fff]{2,6}$")


@pytest.fixture(scope="module")
def embedder():
    return load_embedder()


@pytest.fixture(scope="module")
def sample(embedder, perturbation):
    texts = [p.text for p in read_corpus([SAMPLE]).paragraphs()]
    return texts, perturb_vectors(embedder.encode(texts), seed=1, relative=perturbation)


@pytest.fixture(scope="module")
def sample_result(sample, embedder):
    texts, vectors = sample
    return fit_topics(texts, vectors, TopicsConfig(), embed_words=embedder.encode)


def test_sample_yields_several_topics_with_whole_word_keywords(sample_result):
    assert len(sample_result.topics) >= 3
    for topic in sample_result.topics:
        words = [w for w, _ in topic.keywords]
        assert len(words) >= 5
        assert all(WHOLE_CHINESE_WORD.match(w) for w in words), words
        assert topic.label and " · " in topic.label


def test_outliers_within_the_configured_share(sample_result):
    assert sample_result.outlier_share <= 0.10
    assert sample_result.metrics["outlier_share"] == round(sample_result.outlier_share, 4)


def test_the_themes_a_reader_expects_are_found(sample_result):
    # The pivot to the Asia-Pacific, sanctions, alliances, the Russia investigation: each
    # is argued by several authors and must lead a topic's keywords.
    tops = [" ".join(w for w, _ in t.keywords[:5]) for t in sample_result.topics]
    for words in (["亞太", "印太"], ["制裁"], ["盟友", "北約"], ["調查", "通俄門"]):
        assert any(any(w in top for w in words) for top in tops), (words, tops)


def test_same_seed_same_assignments(sample, sample_result, embedder):
    texts, vectors = sample
    again = fit_topics(texts, vectors, TopicsConfig(), embed_words=embedder.encode)
    assert np.array_equal(again.assignments, sample_result.assignments)
    assert [t.keywords for t in again.topics] == [t.keywords for t in sample_result.topics]


def test_themes_hold_under_another_machines_rounding_and_another_seed(sample, sample_result):
    """UMAP's layout moved a third of the sample's paragraphs to other topics (adjusted Rand
    0.58) when the vectors changed by 1e-6 or the seed changed; the themes must not."""
    texts, vectors = sample
    runs = [sample_result.assignments]
    for noise_seed in (11, 12, 13):
        noisy = perturb_vectors(vectors, seed=noise_seed)
        runs.append(fit_topics(texts, noisy, TopicsConfig()).assignments)
    for seed in (1, 7):
        runs.append(fit_topics(texts, vectors, TopicsConfig(seed=seed)).assignments)
    assert mean_pairwise_ari(runs) >= 0.95, [len(set(r.tolist())) for r in runs]


def test_strict_outlier_target_reassigns_and_updates_keywords(sample):
    texts, vectors = sample
    # Topics under 10 paragraphs are outliers at first; a 0 % target reassigns them all.
    result = fit_topics(texts, vectors, TopicsConfig(max_outlier_share=0.0, min_topic_size=10))
    assert result.outlier_share == 0.0
    assert result.reassigned > 0 and len(result.topics) >= 2
    assert sum(t.size for t in result.topics) == len(texts)


def test_too_few_paragraphs_gives_zero_topics_not_a_crash(embedder):
    texts = ["只有一段話而已。", "第二段話。"]
    result = fit_topics(texts, embedder.encode(texts), TopicsConfig())
    assert result.topics == [] and (result.assignments == -1).all()
    assert result.coordinates.shape == (2, 2)


MIXED = [f"今天的天氣很好,陽光明媚,我們去公園散步了第{i}次。" for i in range(8)] + [
    "量子力學描述微觀粒子的行為。",
    "這家餐廳的牛肉麵非常好吃。",
    "足球比賽在晚上八點開始。",
    "股市今天大幅下跌,投資人恐慌。",
    "她正在學習彈鋼琴和小提琴。",
    "新的手機搭載更快的處理器。",
]


TWO_GROUPS = [f"今天的天氣很好,陽光明媚,我們去公園散步了第{i}次。" for i in range(10)] + [
    f"股市今天大幅下跌了{i}個百分點,投資人非常恐慌。" for i in range(10)
]


@pytest.mark.parametrize(
    ("texts", "settings", "expected_topics"),
    [
        (MIXED, {"min_topic_size": 7}, 0),  # 14 paragraphs, clusters of 7+: nothing stands out
        (TWO_GROUPS, {"min_topic_size": 5, "nr_topics": 1}, 1),  # two themes merged into one
    ],
)
def test_zero_or_one_topic_through_bertopic_does_not_crash(embedder, texts, settings, expected_topics):
    result = fit_topics(texts, embedder.encode(texts), TopicsConfig(**settings))
    assert len(result.topics) == expected_topics
    assert result.coordinates.shape == (len(texts), 2)
    assert result.metrics["silhouette"] is None
    if expected_topics:
        assert result.topics[0].label and result.outlier_share <= 0.10


def test_two_groups_that_share_no_neighbour_are_never_mixed_in_a_topic(embedder, perturbation):
    """Their neighbour graph falls in two parts; Ward once cut them 14 + 6. The count (3 ln n,
    at most n / min_topic_size) may split a group of 10 into two topics of 5, never mix them."""
    vectors = perturb_vectors(embedder.encode(TWO_GROUPS), seed=3, relative=perturbation)
    result = fit_topics(TWO_GROUPS, vectors, TopicsConfig(min_topic_size=5))
    first = set(result.assignments[:10].tolist()) - {-1}
    second = set(result.assignments[10:].tolist()) - {-1}
    assert first and second and not first & second
    assert 2 <= len(first | second) <= 4 and result.outlier_share <= 0.10


def test_copies_of_a_paragraph_share_one_place_and_one_topic(embedder):
    """UMAP's neighbour graph came apart on exact duplicates: 30 copies of a sentence landed
    in 4 topics labelled alike."""
    copied = ["Sanctions against Russia will raise prices for everyone in Europe."] * 12
    texts = copied + TWO_GROUPS
    result = fit_topics(texts, embedder.encode(texts), TopicsConfig(min_topic_size=5))
    assert len(set(result.assignments[:12].tolist())) == 1
    assert len({tuple(xy) for xy in result.coordinates[:12].tolist()}) == 1
    # More topics asked than distinct paragraphs: copies still are not split between topics.
    many = fit_topics(texts, embedder.encode(texts), TopicsConfig(min_topic_size=2, nr_topics=30))
    assert len(set(many.assignments[:12].tolist())) == 1
    assert any(w.startswith("topics.nr_topics: 30 asked") for w in many.warnings)
    alone = fit_topics(copied, embedder.encode(copied), TopicsConfig())
    assert alone.topics == [] and "too few distinct paragraphs" in alone.metrics["note"]


def test_no_topic_or_no_word_says_why(embedder):
    result = fit_topics(MIXED, embedder.encode(MIXED), TopicsConfig(min_topic_size=7))
    assert result.topics == [] and any("no topic found" in w for w in result.warnings)
    symbols = [f"{'😀' * (i % 4 + 1)} {i * 137} !!! ---- {'🎉' * (i % 3 + 1)}" for i in range(30)]
    result = fit_topics(symbols, embedder.encode(symbols), TopicsConfig())
    assert result.topics == [] and (result.assignments == -1).all()
    assert "no words to describe topics with" in result.metrics["note"]


def test_input_order_does_not_change_the_themes(sample, sample_result, embedder):
    texts, vectors = sample
    shuffled = np.random.default_rng(7).permutation(len(texts))
    again = fit_topics(
        [texts[i] for i in shuffled], vectors[shuffled], TopicsConfig(), embed_words=embedder.encode
    )
    labels = {t.id: t.label for t in sample_result.topics}
    labels_again = {t.id: t.label for t in again.topics}
    original = {texts[i]: labels.get(int(a), "outlier") for i, a in enumerate(sample_result.assignments)}
    reordered = {
        texts[i]: labels_again.get(int(again.assignments[j]), "outlier") for j, i in enumerate(shuffled)
    }
    assert original == reordered
    assert np.allclose(again.coordinates, sample_result.coordinates[shuffled])


def test_broad_themes_above_the_sample_topics(sample, sample_result):
    assert 3 <= len(sample_result.broad_themes) <= 6
    assert all(t.parent is not None for t in sample_result.topics)
    for theme in sample_result.broad_themes:
        assert theme.label and len(theme.keywords) >= 5
        assert theme.size == sum(t.size for t in sample_result.topics if t.parent == theme.id)
    two = fit_topics(*sample, TopicsConfig(broad_themes=2))
    assert len(two.broad_themes) == 2 and {t.parent for t in two.topics} == {0, 1}


def test_broad_themes_hold_under_another_machines_rounding_and_another_seed(sample, sample_result):
    texts, vectors = sample

    def themes_of(result) -> np.ndarray:
        parents = {t.id: t.parent for t in result.topics}
        return np.array([-1 if parents.get(int(t)) is None else parents[int(t)] for t in result.assignments])

    runs = [themes_of(sample_result)]
    for noise_seed in (11, 12):
        runs.append(themes_of(fit_topics(texts, perturb_vectors(vectors, seed=noise_seed), TopicsConfig())))
    runs.append(themes_of(fit_topics(texts, vectors, TopicsConfig(seed=7))))
    assert mean_pairwise_ari(runs) >= 0.95


def test_a_corpus_clustered_by_groups_goes_through_bertopic_end_to_end(sample, embedder, monkeypatch):
    """The large-corpus path (groups of neighbours), its thresholds lowered to the sample's
    size: BERTopic describes the groups' topics, every paragraph is placed and drawn."""
    import themescope.topics.groups as groups
    import themescope.topics.reduce as reduce

    monkeypatch.setattr(reduce, "GROUPED_ABOVE", 30)
    monkeypatch.setattr(groups, "PARAGRAPHS_PER_GROUP", 3)
    texts, vectors = sample
    result = fit_topics(texts, vectors, TopicsConfig(min_topic_size=3), embed_words=embedder.encode)
    assert len(result.topics) >= 3
    assert all(t.keywords and t.label and t.representative for t in result.topics)
    assert result.outlier_share <= TopicsConfig().max_outlier_share + 1e-9
    assert sorted(set(result.assignments.tolist()) - {-1}) == sorted(t.id for t in result.topics)
    assert result.coordinates.shape == (len(texts), 2) and np.isfinite(result.coordinates).all()
    assert all(t.parent is not None for t in result.topics) or not result.broad_themes
