"""What a topic fit produces (``Topic``, ``TopicResult``) and how it is stored: arrays as
.npz, the rest as JSON, BERTopic's model as safetensors (no pickle)."""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np


@dataclass
class Topic:
    id: int
    label: str
    size: int
    keywords: list[tuple[str, float]]
    representative: list[int]  # row indices into the documents
    guided_theme: str | None = None  # the guided theme this topic carries (topics.guided_themes)
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
    guided_themes: list[dict] = field(default_factory=list)  # per guided theme: the topic it took, score
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
            "guided_themes": self.guided_themes,
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
            guided_themes=state["guided_themes"],
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
