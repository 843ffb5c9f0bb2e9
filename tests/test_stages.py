"""The declared stage list: a stage is one entry in ``pipeline.STAGES``; its key follows what it
declares it reads, so it is cached, and recomputed exactly when one of those changes."""

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from themescope import pipeline
from themescope.config import TopicsConfig
from themescope.corpus import read_corpus
from themescope.stages import Stage, StageCache, run_stages

from .conftest import SAMPLE


@dataclass
class WordCount:
    """A toy stage's product: the number of tokens per topic size, stored as JSON."""

    counts: dict[str, int]

    def save(self, folder: Path) -> None:
        (folder / "counts.json").write_text(json.dumps(self.counts), "utf-8")

    @classmethod
    def load(cls, folder: Path) -> "WordCount":
        return cls(json.loads((folder / "counts.json").read_text("utf-8")))


@pytest.fixture(scope="module")
def sample():
    """The sample's paragraphs and cheap real vectors for them (character n-gram TF-IDF)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [p.text for p in read_corpus([SAMPLE]).paragraphs()]
    vectors = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 2)).fit_transform(texts)
    return texts, np.asarray(vectors.toarray(), dtype=np.float32)


def test_a_stage_added_by_its_declaration_alone_is_cached_and_recomputed_when_its_inputs_change(
    sample, tmp_path, monkeypatch
):
    computed = []

    def count_words(tokens, settings):  # reads the tokens and one setting
        computed.append(settings.top_n_words)
        return WordCount({"tokens": sum(map(len, tokens.lists)), "top_n_words": settings.top_n_words})

    toy = Stage(
        "toy",
        count_words,
        inputs=("tokens", "settings"),
        load=WordCount.load,
        key_of={"settings": lambda settings: settings.top_n_words},
        group="topics",
    )
    monkeypatch.setattr(pipeline, "STAGES", (*pipeline.STAGES, toy))
    texts, vectors = sample

    def fit(texts=texts, **settings):
        cache = StageCache(tmp_path / "cache")
        pipeline.fit_topics(
            texts, vectors[: len(texts)], TopicsConfig(**settings), cache=cache, upstream="v1"
        )
        return cache.record

    first = fit()
    assert first["toy"]["cache"] == "miss" and computed == [10]
    assert (tmp_path / "cache" / "stages" / "toy").is_dir()
    again = fit()
    assert again["toy"]["cache"] == "hit" and computed == [10]  # taken from the cache
    assert {stage: r["cache"] for stage, r in again.items()} == {stage: "hit" for stage in again}
    # A setting the toy stage does not read: the clustering reruns, the toy stage does not.
    other = fit(min_topic_size=6)
    assert other["cluster"]["cache"] == "miss" and other["toy"]["cache"] == "hit"
    # The setting it reads, and the texts it reads through the tokens: recomputed.
    assert fit(top_n_words=5)["toy"]["cache"] == "miss" and computed == [10, 5]
    assert fit(texts=texts[:-1])["toy"]["cache"] == "miss" and computed == [10, 5, 10]


def test_stages_run_in_order_and_derived_values_key_what_follows(tmp_path):
    calls = []

    def double(number):
        calls.append("double")
        return Box(number * 2)

    stages = [
        Stage("number", lambda start: start + 1, inputs=("start",)),  # derived: never stored
        Stage("double", double, inputs=("number",), load=Box.load),
        Stage("skipped", lambda double: 1 / 0, inputs=("double",), when=lambda number: number > 100),
    ]
    cache = StageCache(tmp_path)
    values = run_stages(stages, {"start": 1}, cache)
    assert values["number"] == 2 and values["double"].value == 4 and values["skipped"] is None
    assert run_stages(stages, {"start": 1}, cache)["double"].value == 4
    assert calls == ["double"]  # the second run took it from the cache
    assert run_stages(stages, {"start": 2}, cache)["double"].value == 6  # a new start: a new key
    assert calls == ["double", "double"]
    # A value given by the caller stands for its stage, which does not run.
    assert run_stages(stages, {"start": 1, "number": 50}, cache)["double"].value == 100


@dataclass
class Box:
    value: int

    def save(self, folder: Path) -> None:
        (folder / "value.json").write_text(json.dumps(self.value), "utf-8")

    @classmethod
    def load(cls, folder: Path) -> "Box":
        return cls(json.loads((folder / "value.json").read_text("utf-8")))


def test_every_stage_is_declared_once_in_pipeline_order():
    names = [s.name for s in pipeline.STAGES]
    assert len(names) == len(set(names))
    cached = [s.name for s in pipeline.STAGES if s.load is not None]
    assert cached == [
        "read", "embed", "guided_themes", "tokens", "reduce", "words", "cluster", "represent", "curate",
        "hierarchy", "persistence",
    ]  # fmt: skip
    for position, stage in enumerate(pipeline.STAGES):  # each reads only what comes before it
        earlier = {s.name for s in pipeline.STAGES[:position]}
        given = {"config", "input_files", "session"}
        assert set(stage.inputs) <= earlier | given, stage.name


def test_a_value_is_keyed_by_all_of_it_arrays_inside_containers_included():
    from themescope.stages import value_key

    big = np.zeros(5000, dtype=np.float32)
    other = big.copy()
    other[2500] = 1.0  # a change numpy's repr would hide behind "..."
    assert value_key({"v": big}) != value_key({"v": other})
    assert value_key([big]) != value_key([other])
    assert value_key(Box(1)) == value_key(Box(1)) != value_key(Box(2))
    assert value_key(["a", "b"]) != value_key(["a", "c"])
