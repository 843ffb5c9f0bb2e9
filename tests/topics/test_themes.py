"""Guided themes: named themes find the topics that carry them, in any language."""

import json

import numpy as np

from themescope.config import ThemeConfig
from themescope.topics.themes import combine, gather_outliers, keyword_presence, match_themes, theme_texts

from ..conftest import ROOT, run_cli


def test_each_theme_takes_at_most_one_topic_and_weak_matches_are_not_found():
    assignments = np.array([0, 0, 0, 1, 1, 1, 2, 2, -1])
    scores = np.array(
        # theme A strong on topic 0; theme B strong on 1 but also on 0; theme C weak everywhere
        [[2.0, 1.5, 0.1], [2.0, 1.5, 0.1], [2.0, 1.5, 0.1], [0.0, 1.2, 0.2]] * 1
        + [[0.0, 1.2, 0.2], [0.0, 1.2, 0.2], [-1, -1, 0.3], [-1, -1, 0.3], [0, 0, 0]]
    )
    found, report = match_themes(assignments, scores, ["A", "B", "C"])
    assert found == {0: "A", 1: "B"}
    assert [r["topic"] for r in report] == [0, 1, None]
    assert report[2]["score"] == 0.3  # its best topic, stated even though not found


def test_outliers_join_a_found_theme_only_when_clearly_on_it():
    assignments = np.array([0, 0, -1, -1])
    scores = np.array([[1.0], [1.0], [2.5], [1.0]])
    assert gather_outliers(assignments, scores, {0: "A"}, ["A"]).tolist() == [0, 0, 0, -1]
    assert gather_outliers(assignments, scores, {}, ["A"]).tolist() == [0, 0, -1, -1]


def test_theme_vector_averages_its_name_and_keywords():
    themes = [ThemeConfig(name="A", keywords=["x", "y"]), ThemeConfig(name="B")]
    assert theme_texts(themes[0]) == ["A.", "x", "y"]
    vectors = np.eye(4, dtype=np.float32)[[0, 1, 1, 3]]
    combined = combine(themes, vectors)
    assert combined.names == ["A", "B"]
    np.testing.assert_allclose(combined.vectors[0], np.array([1, 2, 0, 0]) / np.sqrt(5), rtol=1e-6)
    np.testing.assert_allclose(combined.vectors[1], [0, 0, 0, 1])


def test_english_themes_name_the_chinese_topics_of_the_sample(sample_run, cache_dir, tmp_path):
    config = tmp_path / "themes.toml"
    text = (ROOT / "configs" / "sample-guided-themes.toml").read_text(encoding="utf-8")
    # A theme the page never discusses must name no topic, however close its nearest one.
    cooking = '[[topics.guided_themes]]\nname = "Cooking"\ndescription = "Recipes and food"\n'
    cooking += 'keywords = ["recipe", "烹飪"]\n'
    config.write_text(text.replace("[output]", cooking + "\n[output]"), encoding="utf-8")
    out = tmp_path / "run"
    proc = run_cli(
        "run", str(config), "-q", "--out", str(out), "--set", f'embeddings.cache_dir="{cache_dir}"',
        "--set", f'input.paths=["{ROOT / "examples" / "us-russia-relations.txt"}"]',
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    topics = json.loads((out / "topics.json").read_text(encoding="utf-8"))
    labels = {t["label"]: t for t in topics["topics"]}
    assert {"Strategy pivot", "Sanctions", "Alliances"} <= set(labels)
    assert {"亞太", "印太"} & {w for w, _ in labels["Strategy pivot"]["keywords"]}
    assert "盟友" in {w for w, _ in labels["Alliances"]["keywords"]}
    assert [t["name"] for t in topics["guided_themes"]] == [
        "Strategy pivot",
        "Sanctions",
        "Alliances",
        "Cooking",
    ]
    assert topics["guided_themes"][3]["topic"] is None and "Cooking" not in labels
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert any("'Cooking' matched no topic" in w for w in manifest["warnings"])
    assert any("制裁" in w for w, _ in labels["Sanctions"]["keywords"])
    assert "Strategy pivot" in (out / "report.html").read_text(encoding="utf-8")
    # Discovered topics remain beside the named ones.
    assert len(topics["topics"]) > 3


def test_a_theme_whose_keywords_the_topic_does_not_use_needs_strong_evidence():
    assignments = np.array([0, 0, 1, 1])
    scores = np.array([[0.6, 0.6], [0.6, 0.6], [-0.6, -0.6], [-0.6, -0.6]])
    # Theme A's keywords occur in topic 0's paragraphs; theme B's nowhere (a "Cooking" theme
    # on a page about diplomacy is still least far from some topic).
    presence = np.array([[True, False], [False, False], [False, False], [False, False]])
    found, report = match_themes(assignments, scores, ["A", "B"], presence)
    assert found == {0: "A"}
    assert report[0]["keywords_support"] and report[1]["topic"] is None
    # Strong semantic evidence is enough without keywords (an English theme, Chinese text).
    strong = np.array([[0.6, -1.0], [0.6, -1.0], [-0.6, 1.2], [-0.6, 1.2]])
    found, report = match_themes(assignments, strong, ["A", "B"], presence)
    assert found == {0: "A", 1: "B"} and not report[1]["keywords_support"]


def test_keyword_presence_matches_chinese_inside_words_and_other_words_whole():
    documents = ["經濟制裁 俄羅斯", "senator 投票", "nato 盟友"]
    presence = keyword_presence(documents, [["制裁"], ["NATO"], ["盟友", "x"]])
    assert presence.tolist() == [[True, False, False], [False, False, False], [False, True, True]]


def test_themes_built_without_keywords_through_the_api_do_not_crash():
    from themescope.config import TopicsConfig
    from themescope.pipeline import fit_topics
    from themescope.topics.themes import ThemeVectors

    rng = np.random.default_rng(0)
    centres = np.eye(8, dtype=np.float32)[:2] * 5
    vectors = np.vstack([centres[i % 2] + rng.normal(0, 0.3, 8) for i in range(30)]).astype(np.float32)
    texts = [("制裁 俄羅斯 經濟" if i % 2 == 0 else "峰會 赫爾辛基 會面") + f" 第{i}段" for i in range(30)]
    themes = ThemeVectors(["A", "B"], centres / 5)  # no keywords: the field's default
    result = fit_topics(texts, vectors, TopicsConfig(min_topic_size=5), guided_themes=themes)
    # Reported (this crashed with two or more themes), with no keyword support to claim.
    assert [t["name"] for t in result.guided_themes] == ["A", "B"]
    assert not any(t["keywords_support"] for t in result.guided_themes)


def test_keyword_presence_matches_other_inflections_of_a_word():
    documents = [
        "западные санкций против",
        "las sanciones económicas",
        "nato's allies",
        "санитария",
        "asia-pacific",
    ]
    presence = keyword_presence(documents, [["санкции"], ["sanción"], ["NATO", "ally"], ["Asia-Pacific"]])
    assert presence.tolist() == [
        [True, False, False, False],
        [False, True, False, False],
        [False, False, True, False],
        [False, False, False, False],  # санитария shares only a prefix with санкции
        [False, False, False, True],
    ]
