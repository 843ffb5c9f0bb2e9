"""The only module that knows the stage order: ``STAGES`` declares every stage of a fit once
(read -> embed -> topics); ``fit_run`` runs them into a Run, ``write_run`` also writes its folder.

Each stage is a plain function from its own package; ``stages.run_stages`` runs them in the
declared order through the stage cache, keying each by what its declaration says it reads.
A run folder is written through ``rundir.atomic_dir`` (a failed run leaves the previous one
untouched).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from themescope import documents
from themescope.config import Config, TopicsConfig, config_from_dict, load_config, read_curation, user_path
from themescope.corpus.models import Corpus
from themescope.corpus.paths import expand_inputs
from themescope.corpus.reader import read_corpus
from themescope.curation import ResolvedStep, resolve_steps
from themescope.embeddings import embedder_for, model_identity
from themescope.embeddings.registry import slow_embedding_hint
from themescope.embeddings.specialists import corpus_language
from themescope.embeddings.stage import Embedded, embed_paragraphs, word_embedder
from themescope.progress import Reporter
from themescope.rundir import check_cache_dir, check_output_dir
from themescope.runs import Run
from themescope.stages import Stage, StageCache, file_digest, run_stages
from themescope.topics import assemble
from themescope.topics.cluster import Clusters, cluster_reduced
from themescope.topics.content_keys import content_keys
from themescope.topics.curate import curate_topics
from themescope.topics.hierarchy import BroadThemes
from themescope.topics.imports import import_topic_stack
from themescope.topics.labels import WordEmbedder
from themescope.topics.model import represent, seed_words, theme_key
from themescope.topics.order import canonical_order, in_fit_order
from themescope.topics.params import resolve_params
from themescope.topics.persistence import Resamples, fit_resamples
from themescope.topics.reduce import Reduction, reduce_embeddings
from themescope.topics.result import TopicResult
from themescope.topics.themes import ThemeVectors, embed_themes
from themescope.topics.tokenize import Tokens, tokenize_documents
from themescope.topics.words import WordVectors, embed_vocabulary

# -- what each stage computes, from the values its parameters name ------------------------


def _read(input_files: list[Path], config: Config) -> Corpus:
    settings = config.input
    return read_corpus(
        input_files, settings.format, config.paragraphs, settings.on_error, settings.max_decompressed_mb
    )


def _reading(config: Config) -> list:
    # A lower ceiling refuses what a higher one read.
    settings = config.input
    return [
        settings.format,
        settings.on_error,
        settings.max_decompressed_mb,
        config.paragraphs.model_dump(mode="json"),
    ]


def _embed(paragraphs: list[dict], config: Config, language: str | None, session: _Session) -> Embedded:
    texts, languages = [r["text"] for r in paragraphs], [r["language"] for r in paragraphs]
    embedder = embedder_for(config.embeddings, language)
    session.embedder.append(embedder)
    session.warm.start()  # new vectors mean every later stage runs: start importing BERTopic

    def hint(new_texts: int) -> None:
        if config.embeddings.engine != "dask":  # a cluster's speed is the cluster's
            session.reporter.note(slow_embedding_hint(config.embeddings.model, new_texts))

    with session.reporter.bar("Embedding paragraphs", len(texts)) as advance:
        return embed_paragraphs(
            texts, languages, config.embeddings, session.cache_root, advance, embedder, hint
        )


def _load_embedded(folder: Path, paragraphs: list[dict], config: Config, session: _Session) -> Embedded:
    texts, languages = [r["text"] for r in paragraphs], [r["language"] for r in paragraphs]
    return Embedded.load(folder, texts, languages, config.embeddings, session.cache_root)


# -- the stages, in order ---------------------------------------------------------------
# Stages without ``load`` are derived: recomputed on each run, never stored.
# ``texts``, ``embeddings``, ``settings``, ``guided_themes``, ``embed_words`` and ``curation`` are
# what ``fit_topics`` takes from its caller; a fit of a whole run derives them.

STAGES: tuple[Stage, ...] = (
    Stage(
        "read",
        _read,
        inputs=("input_files", "config"),
        load=Corpus.load,
        key_of={
            "config": _reading,
            "input_files": lambda input_files: [[str(p.resolve()), file_digest(p)] for p in input_files],
        },
        group="read",
    ),
    Stage("paragraphs", lambda read: read.rows(), inputs=("read",), group="read"),
    Stage(
        "language",
        lambda paragraphs: corpus_language([r["language"] for r in paragraphs]),
        inputs=("paragraphs",),
        group="read",
    ),
    Stage(
        "embed",
        _embed,
        inputs=("paragraphs", "config"),
        load=_load_embedded,
        key_of={
            "config": lambda config, language: [
                model_identity(config.embeddings.model, language),
                config.embeddings.language_centering,
            ]
        },
        uses=("language", "session"),
        group="embed",
    ),
    Stage(
        "texts", lambda paragraphs: [r["text"] for r in paragraphs], inputs=("paragraphs",), group="topics"
    ),
    Stage("embeddings", lambda embed: embed.vectors, inputs=("embed",), group="topics"),
    Stage(
        "settings",
        lambda config: config.topics,
        inputs=("config",),
        key_of={"config": lambda config: config.topics.model_dump(mode="json")},
        group="topics",
    ),
    Stage(
        "guided_themes",  # the guided themes' vectors, by the paragraphs' model
        lambda config, session, language: embed_themes(
            config.topics.guided_themes, config.embeddings, next(iter(session.embedder), None), language
        ),
        inputs=("embed", "config"),
        load=ThemeVectors.load,
        key_of={"config": lambda config: [t.model_dump(mode="json") for t in config.topics.guided_themes]},
        uses=("session", "language"),
        when=lambda config: bool(config.topics.guided_themes),
        group="topics",
    ),
    Stage(
        "embed_words",  # embeds words with the paragraphs' model: keyed by the vectors' key
        lambda config, session, language: word_embedder(
            config.embeddings, session.cache_root, session.embedder, language, session.stages.warnings
        ),
        inputs=("embed",),
        uses=("config", "session", "language"),
        group="topics",
    ),
    Stage(
        "curation",  # the config's steps, their anchors resolved to rows in the caller's order
        lambda config, paragraphs: resolve_steps(
            config.curation.steps, [r["paragraph_id"] for r in paragraphs], [r["text"] for r in paragraphs]
        ),
        inputs=("config", "paragraphs"),
        key_of={"config": lambda config: config.curation.model_dump(mode="json")},
        when=lambda config: bool(config.curation.steps),
        group="topics",
    ),
    # The topics are fitted in text order (UMAP's result depends on the order, BERTopic
    # issue 2276), so the same corpus read in another file or record order gives the same.
    Stage("order", lambda texts: canonical_order(texts), inputs=("texts",), group="topics"),
    Stage(
        "documents", lambda texts, order: [texts[i] for i in order], inputs=("texts", "order"), group="topics"
    ),
    Stage(
        "vectors", lambda embeddings, order: embeddings[order], inputs=("embeddings", "order"), group="topics"
    ),
    Stage(
        "params",
        lambda documents, settings: resolve_params(len(documents), settings),
        inputs=("documents", "settings"),
        group="topics",
    ),
    Stage("tokens", tokenize_documents, inputs=("documents",), load=Tokens.load, group="topics"),
    Stage(
        "reduce",
        lambda vectors, params, documents: reduce_embeddings(vectors, params, keys=content_keys(documents)),
        inputs=("vectors", "documents", "params"),
        load=Reduction.load,
        key_of={"params": lambda params: [params.n_neighbors, params.n_components, params.seed]},
        group="topics",
    ),
    Stage("no_topics", assemble.no_topics_reason, inputs=("vectors", "tokens"), group="topics"),
    Stage(
        "words",  # the vocabulary's vectors, to rank each topic's keywords
        lambda tokens, embed_words: embed_vocabulary(tokens, embed_words),
        inputs=("tokens", "embed_words"),
        load=WordVectors.load,
        when=lambda embed_words, no_topics: embed_words is not None and no_topics is None,
        group="topics",
    ),
    Stage(
        "cluster",
        lambda reduce, params, documents: cluster_reduced(reduce, params, content_keys(documents)),
        inputs=("reduce", "params", "documents"),
        load=Clusters.load,
        key_of={"params": lambda params: [params.min_topic_size, params.min_samples, params.nr_topics]},
        when=assemble.clusterable,
        group="topics",
    ),
    Stage(
        "represent",
        lambda tokens, vectors, reduce, cluster, settings, params, guided_themes, words: represent(
            tokens, vectors, reduce, cluster, settings, params, guided_themes, words
        ),
        inputs=("tokens", "vectors", "reduce", "cluster", "settings", "params", "guided_themes", "words"),
        load=TopicResult.load,
        key_of={
            "settings": lambda settings: settings.model_dump(mode="json", exclude={"broad_themes"}),
            "params": lambda params: params.as_dict(),
            "guided_themes": lambda guided_themes: theme_key(guided_themes),
        },
        when=assemble.clusterable,
        group="topics",
    ),
    Stage(
        "fit_curation",
        lambda curation, order: in_fit_order(curation, order),
        inputs=("curation", "order"),
        key_of={"curation": lambda curation: [s.key() for s in curation]},
        when=lambda curation, no_topics: bool(curation) and no_topics is None,
        group="topics",
    ),
    Stage(
        "curate",
        lambda represent, fit_curation, tokens, vectors, settings, guided_themes, words: curate_topics(
            represent, fit_curation, tokens, vectors, settings, seed_words(tokens, guided_themes), words
        ),
        inputs=("represent", "fit_curation", "tokens", "vectors", "settings", "guided_themes", "words"),
        load=TopicResult.load,
        key_of={
            "settings": lambda settings: settings.top_n_words,
            "guided_themes": lambda guided_themes: theme_key(guided_themes),
        },
        when=lambda fit_curation: bool(fit_curation),
        group="topics",
    ),
    Stage(
        "curated",
        assemble.curated_topics,
        inputs=("represent", "curate"),
        when=assemble.clusterable,
        group="topics",
    ),
    Stage(
        "hierarchy",  # the broad themes above the (curated) topics
        assemble.broad_themes_above,
        inputs=("curated", "vectors", "tokens", "settings", "guided_themes", "words"),
        load=BroadThemes.load,
        key_of={
            "settings": lambda settings: [settings.broad_themes, settings.top_n_words],
            "guided_themes": lambda guided_themes: theme_key(guided_themes),
        },
        when=assemble.clusterable,
        group="topics",
    ),
    Stage(
        "persistence",  # the clustering on content-keyed resamples (topics/persistence.py)
        fit_resamples,
        inputs=("documents", "vectors", "settings"),
        load=Resamples.load,
        key_of={
            "settings": lambda settings: settings.model_dump(
                mode="json",
                include={"min_topic_size", "n_neighbors", "n_components", "nr_topics", "broad_themes"},
            )
        },
        when=assemble.clusterable,
        group="topics",
    ),
    Stage(
        "topics",
        assemble.final_topics,
        inputs=(
            "curated",
            "hierarchy",
            "persistence",
            "no_topics",
            "documents",
            "vectors",
            "params",
            "order",
            "reduce",
            "curation",
        ),
        group="topics",
    ),
)


def write_run(
    config: Config | str | Path | dict,
    out: str | Path | None = None,
    quiet: bool = True,
    overrides: list[str] | None = None,
    corpus: Corpus | None = None,
    cache: bool = True,
    on_written: Callable[[Path], None] | None = None,
    curation: str | Path | None = None,
    settings: dict[str, Any] | None = None,
) -> Run:
    """Run the pipeline for one config and write its run folder (``out``, or the config's
    output.dir), replacing the previous run only once everything is written;
    ``on_written(folder)`` is called the moment it is. ``curation``: a TOML file whose
    ``[curation]`` replaces the config's (as the report saves it). ``settings``: Python
    values by key, for a config file (``config.apply_settings``)."""
    config = _resolve_config(config, overrides, curation, settings)
    run_dir = user_path(out) if out else config.output_dir()
    keep_away = [*config.input_paths(), *([config.cache_dir()] if cache else [])]
    check_output_dir(run_dir, keep_away)  # before the work: a folder it may not replace is refused now
    result = fit_run(config, corpus=corpus, cache=cache, quiet=quiet)
    result.write(run_dir, keep_away, on_written)
    return result


def _resolve_config(
    config: Config | str | Path | dict,
    overrides: list[str] | None = None,
    curation: str | Path | None = None,
    settings: dict[str, Any] | None = None,
) -> Config:
    if isinstance(config, str | Path):
        return load_config(config, overrides, curation, settings)
    if isinstance(config, dict):
        config = config_from_dict(config)
    if curation is not None:
        config = config.model_copy(update={"curation": read_curation(Path(curation))})
    return config


def fit_run(config: Config, corpus: Corpus | None = None, cache: bool = True, quiet: bool = True) -> Run:
    """Every stage but writing, in ``STAGES`` order (read unless ``corpus`` is given), then the
    Run. Each goes through the stage cache (none with ``cache=False``: then nothing is written
    anywhere)."""
    session = _Session.start(config, cache, quiet)
    values: dict[str, Any] = {"config": config, "session": session}
    keys: dict[str, Any] = {}
    skipped = []
    if corpus is not None:
        values["read"], keys["read"] = corpus, corpus.digest()
    else:
        values["input_files"], skipped = expand_inputs(config.input_paths())
    values = run_stages(STAGES, values, session.stages, keys, around=session.around)
    corpus, rows, result = values["read"], values["paragraphs"], values["topics"]
    # Listed on every run, outside the cache: a new swap file in the input folder must not
    # recompute every stage.
    corpus.dropped = skipped + corpus.dropped
    result.metrics.update(documents.agreement_with_labels(corpus, result.assignments))
    topics_doc = documents.topics_document(result, rows, values["embeddings"])
    documents.annotate_rows(rows, result, topics_doc)
    manifest = documents.manifest(
        config, corpus, values["embed"], result, session.cache_root, session.timings, session.stages
    )
    return Run.from_documents(rows, topics_doc, manifest, model=result.model, model_dir=result.model_dir)


def fit_topics(
    texts: Sequence[str],
    embeddings: np.ndarray,
    settings: TopicsConfig,
    cache: StageCache | None = None,
    upstream: str = "",
    guided_themes: ThemeVectors | None = None,
    embed_words: WordEmbedder | None = None,
    curation: list[ResolvedStep] | None = None,
) -> TopicResult:
    """The topics stages of ``STAGES`` on paragraphs embedded elsewhere; never raises for a
    corpus that is too small or yields 0 or 1 topic.

    ``cache`` runs each stage (by default: just computes it); ``upstream`` identifies the
    embeddings, so a stage cache can key each stage by everything it depends on. ``guided_themes``
    are the guided themes' vectors (``topics.themes.embed_themes``). ``embed_words`` embeds
    the corpus's vocabulary with the paragraphs' model, to rank each topic's keywords;
    without it keywords are c-TF-IDF's alone. ``curation``: the config's curation steps,
    their anchors resolved to rows in the order of ``texts``.
    """
    values = {
        "texts": list(texts),
        "embeddings": embeddings,
        "settings": settings,
        "guided_themes": guided_themes,
        "embed_words": embed_words,
        "curation": curation or None,
    }
    keys = {"embed_words": upstream} | ({"embeddings": upstream} if upstream else {})
    topic_stages = [s for s in STAGES if s.group == "topics"]
    return run_stages(topic_stages, values, cache or StageCache(None), keys)["topics"]


_MESSAGES = {"read": "Reading input", "topics": "Finding topics (graph, Ward, c-TF-IDF)"}


@dataclass
class _Session:
    """What the stages of one fit share: the config, the stage cache, progress and timings,
    and the embedding model once a stage has loaded it (the later stages reuse it)."""

    config: Config
    stages: StageCache
    reporter: Reporter
    cache_root: Path | None
    timings: dict[str, float] = field(default_factory=dict)
    embedder: list = field(default_factory=list)
    # New vectors mean every later stage runs: the embed stage starts importing BERTopic.
    warm: threading.Thread = field(
        default_factory=lambda: threading.Thread(target=import_topic_stack, daemon=True)
    )

    @classmethod
    def start(cls, config: Config, cache: bool, quiet: bool) -> _Session:
        cache_root = config.cache_dir() if cache else None
        if cache_root is not None:
            check_cache_dir(cache_root)
        return cls(config, StageCache(cache_root), Reporter(quiet), cache_root)

    @contextmanager
    def around(self, stage: Stage) -> Iterator[None]:
        """Each stage's time added to its group's, under the group's progress message."""
        if stage.group == "topics" and self.warm.is_alive():
            self.warm.join()
        start = time.perf_counter()
        message = _MESSAGES.get(stage.group)
        with self.reporter.stage(message) if message else nullcontext():
            yield
        seconds = self.timings.get(stage.group, 0.0) + time.perf_counter() - start
        self.timings[stage.group] = round(seconds, 3)
