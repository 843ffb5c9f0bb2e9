"""Topics: reduce (neighbour graph, spectral coordinates, UMAP map) -> cluster (Ward) ->
represent (BERTopic's c-TF-IDF, merging, outlier reduction), each a stage the pipeline can
cache, on embeddings computed elsewhere."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import shutil
import warnings
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from dataclasses import replace as dc_replace
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from themescope.config import TopicsConfig
from themescope.curation import ResolvedStep
from themescope.topics.cluster import Clusters, PrecomputedClusters, cluster_reduced
from themescope.topics.content_keys import content_keys
from themescope.topics.labels import (
    CANDIDATE_WORDS,
    WordEmbedder,
    fuse_rankings,
    make_label,
    representative_paragraphs,
    rerank_keywords,
    topic_direction,
)
from themescope.topics.metrics import topic_metrics, topic_similarity
from themescope.topics.params import TopicParams, resolve_params
from themescope.topics.reduce import (
    MIN_DOCUMENTS_FOR_CLUSTERING,
    PrecomputedReduction,
    Reduction,
    distinct_rows,
    pca_2d,
    reduce_embeddings,
)
from themescope.topics.themes import (
    MIN_TOPIC_Z,
    MIN_TOPIC_Z_UNSUPPORTED,
    ThemeVectors,
    gather_outliers,
    keyword_presence,
    keyword_tokens,
    match_themes,
    theme_scores,
)
from themescope.topics.tokenize import Tokens, analyzed_tokens, tokenize_documents
from themescope.topics.words import MAX_WORDS, WordVectors, embed_vocabulary


@dataclass
class Topic:
    id: int
    label: str
    size: int
    keywords: list[tuple[str, float]]
    representative: list[int]  # row indices into the documents
    theme: str | None = None
    parent: int | None = None  # the broad theme above it (topics.hierarchy)
    # Share of 90 % resamples in which it comes back (topics.persistence); None: not measured.
    persistence: float | None = None


@dataclass
class TopicResult:
    assignments: np.ndarray  # int topic per document, -1 = outlier
    probabilities: np.ndarray
    topics: list[Topic]
    coordinates: np.ndarray  # [n, 2] for the map
    metrics: dict[str, Any]
    params: dict[str, Any]
    reassigned: int = 0
    similarity: list = field(default_factory=list)  # topic x topic cosine, in ``topics`` order
    # The fitted BERTopic, or its saved files (SavedModel) when loaded from the stage cache.
    model: Any = field(default=None, repr=False)
    model_dir: Path | None = None  # no longer set: a cached model is read into memory (SavedModel)
    warnings: list[str] = field(default_factory=list)
    themes: list[dict] = field(default_factory=list)  # per guided theme: the topic it took, score
    # The curation applied (topics.curate): each step's outcome, and the id a new split takes.
    curation: dict = field(default_factory=dict)
    broad_themes: list[Topic] = field(default_factory=list)  # the level above (topics.hierarchy)

    @property
    def outlier_share(self) -> float:
        return float(np.mean(self.assignments == -1)) if len(self.assignments) else 0.0

    def save(self, folder: Path) -> None:
        """Arrays as .npz, the rest as JSON, the model with BERTopic's safetensors: no pickle."""
        np.savez(
            folder / "topics.npz",
            assignments=self.assignments,
            probabilities=self.probabilities,
            coordinates=self.coordinates,
        )
        if self.model is not None:  # first: a failed save adds a warning to the state below
            save_model(self.model, folder / "model", self.warnings, strict_io=True)
        state = {
            "topics": [asdict(t) for t in self.topics],
            "metrics": self.metrics,
            "params": self.params,
            "reassigned": self.reassigned,
            "similarity": self.similarity,
            "warnings": self.warnings,
            "themes": self.themes,
            "curation": self.curation,
        }
        (folder / "topics.json").write_text(json.dumps(state, ensure_ascii=False), "utf-8")

    @classmethod
    def load(cls, folder: Path) -> TopicResult:
        state = json.loads((folder / "topics.json").read_text("utf-8"))
        with np.load(folder / "topics.npz", allow_pickle=False) as data:
            arrays = {name: data[name] for name in ("assignments", "probabilities", "coordinates")}
        topics = [Topic(**(t | {"keywords": [(w, s) for w, s in t["keywords"]]})) for t in state["topics"]]
        model_dir = folder / "model"
        model = SavedModel.read(model_dir) if model_dir.is_dir() else None
        return cls(
            **arrays,
            topics=topics,
            metrics=state["metrics"],
            params=state["params"],
            reassigned=state["reassigned"],
            similarity=state["similarity"],
            warnings=state["warnings"],
            themes=state["themes"],
            curation=state.get("curation", {}),
            model=model,
        )


@dataclass
class SavedModel:
    """A BERTopic model as ``BERTopic.save`` wrote it, held in memory: the run folder gets
    exactly the bytes the stage cache verified, even if another run prunes the entry before
    the run is written. ``save`` takes BERTopic's arguments, so it stands in for the model."""

    files: dict[str, bytes]  # relative POSIX path -> content

    @classmethod
    def read(cls, folder: Path) -> SavedModel:
        paths = sorted(p for p in folder.rglob("*") if not p.is_dir())
        return cls({p.relative_to(folder).as_posix(): p.read_bytes() for p in paths})

    def save(self, path: str | Path, **_: Any) -> None:
        for name, data in self.files.items():
            target = Path(path) / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)


def save_model(model, target: Path, warnings_out: list[str], strict_io: bool = False) -> Path | None:
    """safetensors + JSON only (no pickle): loadable with ``BERTopic.load(target)``.

    The saved model is a convenience; failing to save it must not lose the run. With
    ``strict_io`` a write error (disk full) is raised: a cache entry must hold the model or
    not be stored at all.
    """
    try:
        _plain_vocabulary(model)
        model.save(target, serialization="safetensors", save_ctfidf=True)
        return target
    except Exception as exc:  # BERTopic 0.17 cannot save after reduce_topics("auto")
        shutil.rmtree(target, ignore_errors=True)
        if strict_io and isinstance(exc, OSError):
            raise
        warnings_out.append(f"model/ not saved: BERTopic.save failed ({type(exc).__name__})")
        return None


def _plain_vocabulary(model) -> None:
    """The vectorizer's vocabulary with Python integers: scikit-learn's CountVectorizer with
    ``max_features`` (set from 10,000 paragraphs, ``_vectorizer``) holds numpy integers,
    which ``BERTopic.save`` cannot write to ctfidf_config.json (TypeError). The same
    indices, so the model transforms as before."""
    vectorizer = getattr(model, "vectorizer_model", None)  # a SavedModel has none
    vocabulary = getattr(vectorizer, "vocabulary_", None)
    if isinstance(vocabulary, dict):
        vectorizer.vocabulary_ = {word: int(index) for word, index in vocabulary.items()}


class Stages:
    """How fit_topics runs a stage; the pipeline passes a caching one (themescope.stages)."""

    def run(self, stage: str, inputs: Any, compute: Callable[[], Any], load: Callable) -> tuple[Any, str]:
        return compute(), ""


def canonical_order(documents: Sequence[str]) -> np.ndarray:
    """UMAP's result depends on input order, so the same corpus read in another file or
    record order would give other themes (BERTopic issue 2276): fit in text order instead."""
    return np.array(sorted(range(len(documents)), key=lambda i: (documents[i], i)), dtype=int)


def fit_topics(
    documents: Sequence[str],
    embeddings: np.ndarray,
    settings: TopicsConfig,
    stages: Stages | None = None,
    upstream: str = "",
    themes: ThemeVectors | None = None,
    embed_words: WordEmbedder | None = None,
    curation: list[ResolvedStep] | None = None,
) -> TopicResult:
    """Fit topics; never raises for a corpus that is too small or yields 0 or 1 topic.

    ``stages`` runs each stage (by default: just computes it); ``upstream`` identifies the
    embeddings, so a stage cache can key each stage by everything it depends on. ``themes``
    are the guided themes' vectors (``topics.themes.embed_themes``). ``embed_words`` embeds
    the corpus's vocabulary with the paragraphs' model (the ``words`` stage), to rank each
    topic's keywords (``labels.rerank_keywords``); without it keywords are c-TF-IDF's alone.
    ``curation``: the config's curation steps, their anchors resolved to rows in the order
    of ``documents`` (the ``curate`` stage, after ``represent``).
    """
    stages = stages or Stages()
    documents = list(documents)
    order = canonical_order(documents)
    docs = [documents[i] for i in order]
    vectors = embeddings[order]
    params = resolve_params(len(docs), settings)

    tokens, tokens_key = stages.run(
        "tokens",
        [hashlib.sha256("\x00".join(docs).encode("utf-8")).hexdigest()],
        lambda: tokenize_documents(docs),
        Tokens.load,
    )
    reduction, reduce_key = stages.run(
        "reduce",
        [upstream, tokens_key, params.n_neighbors, params.n_components, params.seed],
        lambda: reduce_embeddings(vectors, params, keys=content_keys(docs)),
        Reduction.load,
    )
    if len(distinct_rows(vectors)[0]) < MIN_DOCUMENTS_FOR_CLUSTERING:
        result = _no_topics(docs, vectors, params, "too few distinct paragraphs to cluster")
    elif not any(tokens.lists):
        reason = "no words to describe topics with: the paragraphs hold only numbers, symbols or punctuation"
        result = _no_topics(docs, vectors, params, reason)
    else:
        word_vectors, words_key = None, ""
        if embed_words is not None:
            word_vectors, words_key = stages.run(
                "words",
                [tokens_key, upstream, MAX_WORDS],
                lambda: embed_vocabulary(tokens, embed_words),
                WordVectors.load,
            )
        clusters, cluster_key = stages.run(
            "cluster",
            [reduce_key, params.min_topic_size, params.min_samples, params.nr_topics],
            lambda: cluster_reduced(reduction, params),
            Clusters.load,
        )
        result, represent_key = stages.run(
            "represent",
            [
                cluster_key,
                settings.model_dump(mode="json", exclude={"broad_themes"}),
                params.as_dict(),
                _theme_key(themes),
                words_key,
            ],
            lambda: represent(tokens, vectors, reduction, clusters, settings, params, themes, word_vectors),
            TopicResult.load,
        )
        final_key = represent_key
        after = _AfterRepresent(tokens, vectors, settings, themes, word_vectors)
        if curation:
            result, final_key = _curate(stages, represent_key, result, _in_fit_order(curation, order), after)
        _add_broad_themes(stages, final_key, result, after)
        _add_persistence(stages, [tokens_key, upstream], result, docs, vectors, settings)
    if curation and "steps" not in result.curation:
        result.warnings.append("curation: not applied: too few paragraphs or words to find topics")
    return _in_caller_order(result, order, reduction)


def _in_fit_order(steps: list[ResolvedStep], order: np.ndarray) -> list[ResolvedStep]:
    """Steps whose rows count in the caller's order, counted in the fit's (text) order."""
    position = np.empty_like(order)
    position[order] = np.arange(len(order))

    def moved(row):
        return row if row is None or row == "outliers" else int(position[row])

    return [dc_replace(s, rows=[int(position[r]) for r in s.rows], to=moved(s.to)) for s in steps]


@dataclass
class _AfterRepresent:
    """What the stages after represent (curate, hierarchy) describe topics with; the documents
    and the guided themes' seed words are worked out once, and only by a stage that runs."""

    tokens: Tokens
    vectors: np.ndarray
    settings: TopicsConfig
    themes: ThemeVectors | None
    word_vectors: WordVectors | None

    @cached_property
    def documents(self) -> list[str]:
        return self.tokens.analyzed()

    @cached_property
    def seed_words(self) -> list[str] | None:
        return _Guide.of(self.documents, self.themes).seed_words


def _curate(stages, represent_key: str, result, steps: list[ResolvedStep], after: _AfterRepresent):
    """The curate stage: keyed by the represented topics and what the steps do to them."""
    from themescope.topics.curate import CURATE_VERSION, curate_topics

    curated, key = stages.run(
        "curate",
        [represent_key, CURATE_VERSION, [s.key() for s in steps]],
        lambda: curate_topics(
            result, steps, after.tokens, after.vectors, after.settings, after.seed_words, after.word_vectors
        ),
        TopicResult.load,
    )
    curated.model = result.model  # BERTopic's model of the topics before curation
    return curated, key


def _add_broad_themes(stages, upstream: str, result, after: _AfterRepresent) -> None:
    """The hierarchy stage: broad themes above the (curated) topics, and each topic's parent."""
    from themescope.topics.hierarchy import HIERARCHY_VERSION, BroadThemes, describe_broad_themes

    settings = after.settings
    tree, _ = stages.run(
        "hierarchy",
        [upstream, settings.broad_themes, settings.top_n_words, HIERARCHY_VERSION],
        lambda: describe_broad_themes(
            result.assignments,
            after.vectors,
            [t.id for t in result.topics],
            after.documents,
            settings.broad_themes,
            settings.top_n_words,
            after.seed_words,
            after.word_vectors,
        ),
        BroadThemes.load,
    )
    result.broad_themes = tree.themes
    for topic in result.topics:
        topic.parent = tree.parent.get(topic.id)


def _add_persistence(stages, upstream: list, result, docs, vectors, settings: TopicsConfig) -> None:
    """The persistence stage: the clustering fitted on content-keyed resamples (cached: it
    hangs on the texts, vectors and clustering settings alone), then each topic's and broad
    theme's share of them in which it comes back (``topics.persistence``)."""
    from themescope.topics.persistence import Resamples, fit_resamples, persistence

    clustering = settings.model_dump(
        mode="json", include={"min_topic_size", "n_neighbors", "n_components", "nr_topics", "broad_themes"}
    )
    resamples, _ = stages.run(
        "persistence", [*upstream, clustering], lambda: fit_resamples(docs, vectors, settings), Resamples.load
    )
    shares = persistence(result.assignments, resamples.topics, resamples.kept)
    for topic in result.topics:
        topic.persistence = shares.get(topic.id)
    if result.broad_themes:
        parent = {t.id: t.parent for t in result.topics}
        broad = np.array([-1 if a == -1 else parent.get(int(a), -1) for a in result.assignments])
        shares = persistence(broad, resamples.broad, resamples.kept)
        for theme in result.broad_themes:
            theme.persistence = shares.get(theme.id)


def _theme_key(themes: ThemeVectors | None) -> list:
    if themes is None:
        return []
    digest = hashlib.sha256(np.ascontiguousarray(themes.vectors).tobytes()).hexdigest()
    return [themes.names, themes.keywords, digest]


def _in_caller_order(result: TopicResult, order: np.ndarray, reduction: Reduction) -> TopicResult:
    inverse = np.empty_like(order)
    inverse[order] = np.arange(len(order))
    result.assignments = result.assignments[inverse]
    result.probabilities = result.probabilities[inverse]
    result.coordinates = reduction.layout[inverse]
    for topic in [*result.topics, *result.broad_themes]:
        topic.representative = [int(order[i]) for i in topic.representative]
    return result


def represent(
    tokens: Tokens,
    embeddings: np.ndarray,
    reduction: Reduction,
    clusters: Clusters,
    settings: TopicsConfig,
    params: TopicParams,
    themes: ThemeVectors | None = None,
    word_vectors: WordVectors | None = None,
) -> TopicResult:
    """BERTopic on the given reduction and clusters, step by step: build -> fit and merge ->
    guided themes -> outlier reduction -> keywords that describe the final topics.

    BERTopic's documents are the paragraphs' tokens joined by spaces (see ``Tokens``).
    """
    documents = tokens.analyzed()
    guide = _Guide.of(documents, themes)
    # With word vectors, c-TF-IDF proposes more words and their embeddings choose among them.
    top_n_words = (
        max(settings.top_n_words, CANDIDATE_WORDS) if word_vectors is not None else settings.top_n_words
    )
    model = _build_model(reduction, clusters, len(documents), guide.seed_words, top_n_words)
    fitted, probabilities = _fit_and_merge(model, documents, embeddings, params.nr_topics)
    found, theme_report, assignments = _take_themes(fitted, embeddings, documents, themes, guide)
    assignments = _reduce_outliers_if_needed(model, documents, assignments, embeddings, settings)
    moved = assignments != fitted  # by a guided theme or to the nearest topic
    if moved.any():
        probabilities = np.where(moved, 0.0, probabilities)
        # Keywords must describe the topics as they are now (BERTopic issue 1785).
        model.update_topics(
            documents,
            topics=assignments.tolist(),
            vectorizer_model=_vectorizer(len(documents)),
            ctfidf_model=_ctfidf_model(guide.seed_words),
            top_n_words=top_n_words,
        )
    topics = _collect_topics(model, assignments, embeddings, found, settings.top_n_words, word_vectors)
    notes = keyword_notes(topics, _indistinct_topics(model, assignments))
    metrics = topic_metrics(assignments, embeddings, topics, analyzed_tokens, documents)
    metrics["outlier_share_before_reduction"] = round(float(np.mean(fitted == -1)), 4)
    return TopicResult(
        assignments=assignments,
        probabilities=probabilities,
        topics=topics,
        coordinates=reduction.layout,
        metrics=metrics,
        params=params.as_dict(),
        reassigned=int(moved.sum()),
        similarity=topic_similarity(assignments, embeddings, [t.id for t in topics]),
        model=model,
        themes=theme_report,
        warnings=_notes(theme_report, topics, params) + notes,
    )


@dataclass
class _Guide:
    """The guided themes' keywords, and the corpus tokens they match (BERTopic's seed words)."""

    keywords: list[list[str]] = field(default_factory=list)
    tokens: list[set[str]] = field(default_factory=list)
    seed_words: list[str] | None = None

    @classmethod
    def of(cls, documents: list[str], themes: ThemeVectors | None) -> _Guide:
        if themes is None or not themes.names:
            return cls()
        keywords = themes.keywords or [[] for _ in themes.names]
        tokens = keyword_tokens(documents, keywords)
        return cls(keywords, tokens, sorted(set().union(*tokens)) or None)


def _build_model(reduction: Reduction, clusters: Clusters, n_documents: int, seed_words, top_n_words: int):
    """BERTopic, handed the reduction and the clusters computed by the earlier stages."""
    from themescope.topics.imports import import_bertopic

    model = import_bertopic(need_umap=False).BERTopic(
        umap_model=PrecomputedReduction(reduction.per_document()),
        hdbscan_model=PrecomputedClusters(clusters),
        vectorizer_model=_vectorizer(n_documents),
        ctfidf_model=_ctfidf_model(seed_words),
        top_n_words=top_n_words,
        nr_topics=None,  # reduced below: BERTopic counts the outlier topic in nr_topics
        calculate_probabilities=False,
        # "english" (the default) strips every non-ASCII character before c-TF-IDF.
        language="multilingual",
        verbose=False,
    )
    # BERTopic sets its logger to WARNING in __init__ and then warns that custom assignments
    # follow (update_topics after reduce_outliers), which is our design.
    logging.getLogger("BERTopic").setLevel(logging.ERROR)
    return model


def _fit_and_merge(
    model, documents: list[str], embeddings: np.ndarray, nr_topics
) -> tuple[np.ndarray, np.ndarray]:
    """BERTopic's fit (c-TF-IDF on the given clusters), then its topic merging when asked."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assignments, probabilities = model.fit_transform(documents, embeddings=embeddings)
    assignments = np.asarray(assignments)
    probabilities = np.zeros(len(documents)) if probabilities is None else np.asarray(probabilities, float)
    merged = _reduce_topics(model, documents, assignments, nr_topics)
    if merged is not assignments:
        return merged, np.asarray(model.probabilities_, float)
    return assignments, probabilities


def _take_themes(assignments, embeddings, documents, themes: ThemeVectors | None, guide: _Guide):
    """Which topic carries each guided theme, and the outliers clearly on a found theme."""
    if themes is None or not themes.names:
        return {}, [], assignments
    scores = theme_scores(embeddings, themes)
    presence = keyword_presence(documents, guide.keywords, guide.tokens)
    found, report = match_themes(assignments, scores, themes.names, presence)
    return found, report, gather_outliers(assignments, scores, found, themes.names)


def _reduce_outliers_if_needed(
    model, documents, assignments, embeddings, settings: TopicsConfig
) -> np.ndarray:
    n_topics = len(set(assignments.tolist()) - {-1})
    if settings.reduce_outliers and n_topics >= 1 and np.mean(assignments == -1) > settings.max_outlier_share:
        return _reduce_outliers(model, documents, assignments, embeddings, settings)
    return assignments


def _notes(theme_report: list[dict], topics: list[Topic], params: TopicParams) -> list[str]:
    """What the user should know about the topics found: themes not found, fewer topics."""
    notes = [
        f"topics.themes: {t['name']!r} matched no topic (best score {t['score']}; needs "
        f"{MIN_TOPIC_Z} where its keywords occur in the topic, {MIN_TOPIC_Z_UNSUPPORTED} elsewhere)"
        for t in theme_report
        if t["topic"] is None
    ]
    if isinstance(params.nr_topics, int) and 0 < len(topics) < params.nr_topics:
        notes.append(
            f"topics.nr_topics: {params.nr_topics} asked, {len(topics)} found with at least "
            f"{params.min_topic_size} paragraphs each (topics.min_topic_size); the rest were outliers"
        )
    if not topics:
        notes.append(
            f"no topic found: no {params.min_topic_size} or more paragraphs were alike enough "
            "(topics.min_topic_size); every paragraph is an outlier"
        )
    return notes


def _indistinct_topics(model, assignments: np.ndarray) -> set[int]:
    """The topics no word distinguishes, as the last c-TF-IDF fit found them: its rows are
    the topics (outliers included) in id order, those of ``assignments`` (BERTopic's
    ``topics_`` after fit, reduce_topics or update_topics)."""
    flags = getattr(model.ctfidf_model, "indistinct_", None)
    ids = sorted(set(assignments.tolist()))
    if flags is None or len(flags) != len(ids):
        return set()
    return {t for t, flag in zip(ids, flags, strict=True) if flag and t != -1}


def keyword_notes(topics: list[Topic], indistinct: set[int]) -> list[str]:
    """Warnings naming the topics without keywords, and those no word distinguishes (their
    words occur in the same proportions as in the whole corpus): one line for each kind."""

    def named(ids: list[int]) -> str:
        return f"topic {ids[0]}" if len(ids) == 1 else "topics " + ", ".join(map(str, ids))

    notes = []
    empty = [t.id for t in topics if not t.keywords]
    if empty:
        notes.append(
            f"{named(empty)}: no keywords: the paragraphs hold no word a keyword can be "
            "(only stopwords, numbers, symbols or punctuation)"
        )
    alike = [t.id for t in topics if t.keywords and t.id in indistinct]
    if alike:
        notes.append(
            f"{named(alike)}: no word distinguishes {'it' if len(alike) == 1 else 'them'} from the "
            "corpus as a whole (the same words in the same proportions); keywords are the most frequent words"
        )
    return notes


def is_keyword_note(note: str) -> bool:
    """A warning ``keyword_notes`` wrote (the curate stage writes them again for its topics)."""
    return re.match(r"topics? -?\d+(, -?\d+)*: no (keywords|word distinguishes)", note) is not None


def _ctfidf_model(seed_words: list[str] | None = None):
    """BERTopic's c-TF-IDF; ``seed_words`` (the guided themes' keywords as they occur in the
    corpus) get BERTopic's seed multiplier, so a theme's topic shows the words the user named."""
    from themescope.topics.ctfidf_bertopic import FallbackClassTfidf

    # BM25's idf (BERTopic's option for small corpora) keeps words found in nearly every
    # paragraph (俄羅斯, 美國 on the sample) from leading every topic's keywords; a topic it
    # leaves without a positive word gets the classic idf's (topics/ctfidf.py).
    return FallbackClassTfidf(reduce_frequent_words=True, bm25_weighting=True, seed_words=seed_words)


def _vectorizer(n_documents: int):
    from sklearn.feature_extraction.text import CountVectorizer

    return CountVectorizer(
        analyzer=analyzed_tokens,
        min_df=1 if n_documents < 1000 else 2,
        max_features=None if n_documents < 10000 else 100_000,
    )


def _reduce_topics(model, documents, assignments: np.ndarray, nr_topics: int | None) -> np.ndarray:
    """Merge topics down to ``nr_topics`` real topics (outliers not counted), if there are more."""
    n_topics = len(set(assignments.tolist()) - {-1})
    if nr_topics is None or n_topics <= max(1, nr_topics):
        return assignments
    # BERTopic's nr_topics includes the outlier topic when there is one.
    nr_topics = nr_topics + int(bool((assignments == -1).any()))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.reduce_topics(documents, nr_topics=nr_topics)
    return np.asarray(model.topics_)


def _reduce_outliers(model, documents, assignments, embeddings, settings) -> np.ndarray:
    """Reassign just enough outliers, most similar first, to reach ``max_outlier_share``.

    BERTopic's "embeddings" strategy takes a similarity threshold; we pick the threshold
    that leaves at most max_outlier_share of the paragraphs as outliers.
    """
    from sklearn.metrics.pairwise import cosine_similarity

    outlier_rows = np.flatnonzero(assignments == -1)
    # The same similarities BERTopic's "embeddings" strategy computes; row 0 of
    # topic_embeddings_ is the outlier topic, which exists whenever we get here.
    topic_vectors = model.topic_embeddings_[1:]
    best = cosine_similarity(embeddings[outlier_rows], topic_vectors).max(axis=1)
    allowed = int(np.floor(settings.max_outlier_share * len(documents)))
    to_move = len(outlier_rows) - allowed
    if to_move <= 0:
        return assignments
    threshold = float(np.sort(best)[::-1][to_move - 1]) - 1e-6
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        new = model.reduce_outliers(
            documents,
            assignments.tolist(),
            strategy="embeddings",
            embeddings=embeddings,
            threshold=threshold,
        )
    return np.asarray(new)


def _collect_topics(
    model,
    assignments: np.ndarray,
    embeddings: np.ndarray,
    themes: dict,
    top_n_words: int,
    word_vectors: WordVectors | None = None,
) -> list[Topic]:
    ids = sorted(set(assignments.tolist()) - {-1})
    candidates = {t: [(w, float(s)) for w, s in (model.get_topic(t) or []) if w and s > 0] for t in ids}
    topics = describe_topics(candidates, assignments, embeddings, themes, top_n_words, word_vectors)
    for topic in topics:  # the saved model describes its topics with the same words as topics.json
        model.topic_representations_[topic.id] = topic.keywords
    return topics


def describe_topics(
    candidates: dict[int, list[tuple[str, float]]],
    assignments: np.ndarray,
    embeddings: np.ndarray,
    themes: dict,
    top_n_words: int,
    word_vectors: WordVectors | None = None,
) -> list[Topic]:
    """Each topic's keywords (c-TF-IDF's ``candidates`` reranked by the word vectors, when
    there are any), representative paragraphs and label."""
    aboutness: dict[int, dict[str, float]] = {}  # per topic: what orders its label's words
    candidates = dict(candidates)
    if word_vectors is not None and len(word_vectors.words):
        corpus_mean = embeddings.mean(axis=0)
        for topic_id, words in candidates.items():
            direction = topic_direction(np.flatnonzero(assignments == topic_id), embeddings, corpus_mean)
            vectors, known = word_vectors.lookup([w for w, _ in words])
            about = rerank_keywords(words, vectors, direction, known)
            aboutness[topic_id] = dict(about)
            candidates[topic_id] = fuse_rankings(words, about)
    topics = []
    for topic_id in sorted(candidates):
        rows = np.flatnonzero(assignments == topic_id)
        topics.append(
            Topic(
                id=int(topic_id),
                label="",
                size=len(rows),
                keywords=candidates[topic_id][:top_n_words],
                representative=representative_paragraphs(rows, embeddings),
                theme=themes.get(int(topic_id)),
            )
        )

    def label_order(topic: Topic) -> list[tuple[str, float]]:
        about = aboutness.get(topic.id)
        return sorted(topic.keywords, key=lambda kw: -about.get(kw[0], 0.0)) if about else topic.keywords

    for topic in topics:
        others = [label_order(t) for t in topics if t.id != topic.id]
        topic.label = topic.theme or make_label(label_order(topic), others, topic.id)
    return topics


def _no_topics(documents, embeddings, params: TopicParams, reason: str) -> TopicResult:
    n = len(documents)
    return TopicResult(
        assignments=np.full(n, -1),
        probabilities=np.zeros(n),
        topics=[],
        coordinates=pca_2d(embeddings) if n else np.zeros((0, 2), np.float32),
        metrics={"note": reason, "n_topics": 0, "outlier_share": 1.0 if n else 0.0},
        params=params.as_dict(),
    )
