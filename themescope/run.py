"""A run's results as a notebook user handles them, and the run folder's reader and writer.

``Run.paragraphs`` and ``Run.topics`` are pandas DataFrames, ``Run.manifest`` a typed
``Manifest``, ``Run.figure(name)`` one of the report's Plotly figures. ``Run.write`` and
``Run.load`` read and write the run folder (paragraphs.csv, topics.json, manifest.json,
report.html, model/) in the schemas of the README; ``SCHEMA_VERSION`` numbers that layout.
"""

from __future__ import annotations

import html
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from themescope.errors import InputError

# 2: manifest.json names its schema_version. Folders written before (no schema_version) are
# version 1 and have the same files; both load.
SCHEMA_VERSION = 2
FIGURES = ("map", "keywords", "authors", "flow", "similarity")
_TOPIC_COLUMNS = ["id", "label", "size", "keywords", "keyword_weights", "representative", "theme"]


class Manifest(BaseModel):
    """What a run did: manifest.json. Keys this version does not know are kept as they are."""

    model_config = ConfigDict(extra="allow")

    schema_version: int = 1
    themescope_version: str = ""
    created: str = ""
    title: str = ""
    config_file: str | None = None
    config: dict[str, Any] = {}
    versions: dict[str, str] = {}
    inputs: list[dict[str, Any]] = []
    counts: dict[str, int] = {}
    dropped: list[dict[str, Any]] = []
    embeddings: dict[str, Any] = {}
    topics: dict[str, Any] = {}
    timings: dict[str, float] = {}
    stages: dict[str, dict[str, Any]] = {}
    warnings: list[str] = []


@dataclass
class Run:
    """One run's results. ``directory`` is where it was written or loaded from (None when it
    lives only in memory); ``model`` the fitted BERTopic when fitted in this process."""

    paragraphs: Any  # pandas.DataFrame, one row per paragraph (paragraphs.csv's columns)
    topics: Any  # pandas.DataFrame, one row per topic
    manifest: Manifest
    details: dict[str, Any] = field(default_factory=dict)  # topics.json beyond its topic list
    directory: Path | None = None
    model: Any = field(default=None, repr=False)
    model_dir: Path | None = field(default=None, repr=False)  # a saved model to copy on write

    @property
    def report_path(self) -> Path | None:
        return self.directory / "report.html" if self.directory else None

    @classmethod
    def from_documents(cls, rows: list[dict], topics: dict, manifest: dict, **extra: Any) -> Run:
        """From the documents the files hold: paragraph rows, topics.json and manifest.json."""
        import pandas as pd

        from themescope.reports.files import PARAGRAPH_COLUMNS

        topic_rows = [
            {
                "id": t["id"],
                "label": t["label"],
                "size": t["size"],
                "keywords": [w for w, _ in t["keywords"]],
                "keyword_weights": [s for _, s in t["keywords"]],
                "representative": list(t["representative"]),
                "theme": t.get("theme"),
            }
            for t in topics.get("topics", [])
        ]
        return cls(
            paragraphs=pd.DataFrame(rows, columns=PARAGRAPH_COLUMNS),
            topics=pd.DataFrame(topic_rows, columns=_TOPIC_COLUMNS),
            manifest=Manifest.model_validate(manifest),
            details={k: v for k, v in topics.items() if k != "topics"},
            **extra,
        )

    def rows(self) -> list[dict]:
        """The paragraphs as the report and paragraphs.csv take them."""
        return self.paragraphs.to_dict(orient="records")

    def topics_document(self) -> dict:
        """topics.json."""
        topics = [
            {
                "id": int(t["id"]),
                "label": t["label"],
                "size": int(t["size"]),
                "keywords": [[w, s] for w, s in zip(t["keywords"], t["keyword_weights"], strict=True)],
                "representative": list(t["representative"]),
                "theme": t["theme"],
            }
            for t in self.topics.to_dict(orient="records")
        ]
        return {"topics": topics, **self.details}

    def figures(self) -> dict[str, Any]:
        """The report's Plotly figures by name (:data:`FIGURES`)."""
        from themescope.reports.html import build_figures

        return build_figures(self.rows(), self.topics_document(), self.manifest.model_dump(mode="json"))

    def figure(self, name: str):
        """One of the report's figures: ``run.figure("map").show()``."""
        figures = self.figures()
        if name not in figures:
            raise KeyError(f"no figure {name!r}; the figures are {', '.join(figures)}")
        return figures[name]

    def report_html(self) -> str:
        from themescope.reports.html import render_report

        return render_report(self.rows(), self.topics_document(), self.manifest.model_dump(mode="json"))

    def write(self, folder: Path, rendered: Callable[[], None] | None = None) -> None:
        """Write the run's files into ``folder`` (an empty folder the caller swaps into place);
        manifest.json last, after ``rendered`` has been told the report is written."""
        from themescope.reports.files import write_json, write_paragraphs_csv

        folder = Path(folder)
        self.manifest.schema_version = SCHEMA_VERSION
        if self.model_dir is not None and self.model_dir.is_dir():
            shutil.copytree(self.model_dir, folder / "model")
        elif self.model is not None:  # fitted in this process
            from themescope.topics.model import save_model

            notes: list[str] = []
            save_model(self.model, folder / "model", notes)
            self.manifest.warnings += [n for n in notes if n not in self.manifest.warnings]
        write_paragraphs_csv(folder / "paragraphs.csv", self.rows())
        write_json(folder / "topics.json", self.topics_document())
        (folder / "report.html").write_text(self.report_html(), "utf-8")
        if rendered is not None:
            rendered()
        write_json(folder / "manifest.json", self.manifest.model_dump(mode="json"))

    @classmethod
    def load(cls, folder: str | Path) -> Run:
        """Read a run folder; anything missing, malformed or newer than this version reads is
        an InputError naming the file."""
        from themescope.reports.files import read_json, read_paragraphs_csv

        folder = Path(folder)
        needed = ["paragraphs.csv", "topics.json", "manifest.json"]
        missing = [name for name in needed if not (folder / name).is_file()]
        if missing:
            raise InputError(f"{folder}: not a themescope run directory (missing {', '.join(missing)})")
        manifest = read_json(folder / "manifest.json")
        version = manifest.get("schema_version", 1)
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise InputError(
                f"{folder / 'manifest.json'}: schema_version {version!r} is not a run folder schema"
            )
        if version > SCHEMA_VERSION:
            raise InputError(
                f"{folder / 'manifest.json'}: run folder schema {version}, newer than this themescope "
                f"reads (up to {SCHEMA_VERSION}); upgrade themescope"
            )
        try:
            rows = read_paragraphs_csv(folder / "paragraphs.csv")
        except (KeyError, ValueError, TypeError, UnicodeDecodeError) as exc:
            raise InputError(
                f"{folder / 'paragraphs.csv'}: not as a run writes it ({type(exc).__name__}: {exc})"
            ) from None
        topics = read_json(folder / "topics.json")
        try:
            model_dir = folder / "model"
            return cls.from_documents(
                rows, topics, manifest, directory=folder, model_dir=model_dir if model_dir.is_dir() else None
            )
        except (KeyError, ValueError, TypeError, ValidationError) as exc:
            first = str(exc).splitlines()[0]
            raise InputError(
                f"{folder}: topics.json or manifest.json not as a run writes them ({first})"
            ) from None

    def _repr_html_(self) -> str:
        """A compact summary for Jupyter: the counts, then one line per topic."""
        counts = self.manifest.counts
        outliers = self.details.get("outlier_share", 0.0)
        head = (
            f"<b>{html.escape(self.manifest.title)}</b><br>"
            f"{counts.get('paragraphs', len(self.paragraphs))} paragraphs, {len(self.topics)} topics, "
            f"{outliers:.1%} outliers"
        )
        lines = "".join(
            f"<tr><td>{int(t['id'])}</td><td>{int(t['size'])}</td><td>{html.escape(t['label'])}</td>"
            f"<td>{html.escape(' '.join(t['keywords'][:6]))}</td></tr>"
            for t in self.topics.to_dict(orient="records")
        )
        table = f"<table><tr><th>id</th><th>size</th><th>label</th><th>keywords</th></tr>{lines}</table>"
        where = f"<br>{html.escape(str(self.directory))}" if self.directory else ""
        return f"<div>{head}{table}{where}</div>"
