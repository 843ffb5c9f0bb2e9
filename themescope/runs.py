"""A run's results as a notebook user handles them, and the run folder's reader and writer.

``Run.paragraphs`` and ``Run.topics`` are pandas DataFrames, ``Run.manifest`` a typed
``Manifest``, ``Run.figure(name)`` one of the report's Plotly figures. ``Run.write`` and
``Run.load`` read and write the run folder (paragraphs.csv, topics.json, manifest.json,
report.html, model/) in the schemas of the README; ``SCHEMA_VERSION`` numbers that layout.
The folder's own rules (which folder is a run's, which files in it a run wrote, its JSON
files) are ``rundir``'s.
"""

from __future__ import annotations

import html
import numbers
import shutil
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from themescope import renamed
from themescope.config import user_path
from themescope.errors import InputError, UserError
from themescope.reports.figures import ABSENT, FIGURES
from themescope.rundir import PARTIAL_MARKER, atomic_dir, check_output_dir, formula_escape, read_json
from themescope.runfiles import (
    CSV_FORMAT,
    PARAGRAPH_COLUMNS,
    one_line,
    read_paragraphs,
    write_json,
    write_paragraphs_csv,
)
from themescope.schema import (
    Manifest,
    StageRecord,
    SupportRecord,
    TopicEntry,
    TopicsDocument,
)

# 2: manifest.json names its schema_version. Folders written before (no schema_version) are
# version 1 and have the same files; both load.
SCHEMA_VERSION = 2
_TOPIC_COLUMNS = [
    "id",
    "label",
    "size",
    "keywords",
    "keyword_weights",
    "representative",
    "guided_theme",
    "parent",
    "persistence",
    # The evidence (topics/evidence.py): exemplar paragraph ids; how many answers and authors
    # carry the topic and their share of all answers and authors; one answer alone.
    "exemplars",
    "answers",
    "answer_share",
    "authors",
    "author_share",
    "single_answer",
]
# Run.answers: one row per answer, then one column per topic (its share of the answer's paragraphs).
ANSWER_COLUMNS = ["question_id", "answer_id", "author", "paragraphs"]


@dataclass
class Run:
    """One run's results. ``directory`` is where it was written or loaded from (None when it
    lives only in memory); ``model`` the fitted BERTopic when fitted in this process."""

    manifest: Manifest
    document: TopicsDocument = field(default_factory=TopicsDocument)  # topics.json
    directory: Path | None = None
    model: Any = field(default=None, repr=False)
    model_dir: Path | None = field(default=None, repr=False)  # a saved model to copy on write
    # The rows the DataFrames are built from when first asked for: importing pandas would cost
    # every command-line run half a second, and writing the folder needs only the rows.
    paragraph_rows: list[dict] = field(default_factory=list, repr=False)
    topic_rows: list[dict] = field(default_factory=list, repr=False)
    _frames: dict[str, Any] = field(default_factory=dict, repr=False)
    _said: set[str] = field(default_factory=set, repr=False)  # warnings given (once each)

    def _frame(self, name: str, rows: list[dict], columns) -> Any:
        """The DataFrame ``name``, built from ``rows`` when first asked for."""
        if name not in self._frames:
            import pandas as pd

            self._frames[name] = pd.DataFrame(rows, columns=columns)
        return self._frames[name]

    @property
    def paragraphs(self):
        """A pandas DataFrame, one row per paragraph (paragraphs.csv's columns)."""
        return self._frame("paragraphs", self.paragraph_rows, PARAGRAPH_COLUMNS)

    @paragraphs.setter
    def paragraphs(self, frame) -> None:
        self._frames["paragraphs"] = frame
        self._frames.pop("answers", None)  # built from the paragraphs again when asked for

    @property
    def topics(self):
        """A pandas DataFrame, one row per topic."""
        return self._frame("topics", self.topic_rows, _TOPIC_COLUMNS)

    @topics.setter
    def topics(self, frame) -> None:
        self._frames["topics"] = frame

    @property
    def answers(self):
        """A pandas DataFrame, one row per answer in reading order: ``question_id``,
        ``answer_id``, ``author``, ``paragraphs`` (how many), then one column per topic id
        (the topics' order, outliers -1 last) holding the share (0-1) of the answer's
        paragraphs in that topic. From the paragraphs as ``paragraphs`` holds them now."""
        if "answers" not in self._frames:
            import pandas as pd

            rows = self.rows()
            topic_ids = [t.id for t in self.document.topics]
            topic_ids += [*sorted({int(r["topic"]) for r in rows} - {*topic_ids, -1}), -1]
            answers: dict[tuple, dict] = {}
            for r in rows:
                key = (r["question_id"], r["answer_id"])
                if key not in answers:
                    answers[key] = {"question_id": key[0], "answer_id": key[1], "author": r["author"]}
                    answers[key].update({"paragraphs": 0} | dict.fromkeys(topic_ids, 0))
                answers[key]["paragraphs"] += 1
                answers[key][int(r["topic"])] += 1
            for answer in answers.values():
                for t in topic_ids:
                    answer[t] = round(answer[t] / answer["paragraphs"], 4)
            self._frames["answers"] = pd.DataFrame(list(answers.values()), columns=ANSWER_COLUMNS + topic_ids)
        return self._frames["answers"]

    @property
    def report_path(self) -> Path | None:
        return self.directory / "report.html" if self.directory else None

    @property
    def details(self) -> dict[str, Any]:
        """topics.json beyond its topic list, as JSON (``document`` is the typed whole)."""
        return {k: v for k, v in self.document.to_json().items() if k != "topics"}

    @classmethod
    def from_documents(
        cls,
        rows: list[dict],
        topics: TopicsDocument | dict,
        manifest: Manifest | dict,
        **extra: Any,
    ) -> Run:
        """From the documents the files hold: paragraph rows, topics.json and manifest.json,
        typed or as JSON (then their fields' old names are read as the new ones:
        themescope.renamed)."""
        if isinstance(topics, dict):
            topics = TopicsDocument.model_validate(renamed.folder_fields("topics.json", topics)[0])
        if isinstance(manifest, dict):
            manifest = Manifest.model_validate(renamed.folder_fields("manifest.json", manifest)[0])
        if manifest.curation is not None:  # written there before topics.json alone held it
            if topics.curation is None:
                topics = topics.model_copy(update={"curation": manifest.curation})
            manifest = manifest.model_copy(update={"curation": None})
        return cls(
            manifest=manifest,
            document=topics,
            paragraph_rows=[{column: row.get(column) for column in PARAGRAPH_COLUMNS} for row in rows],
            topic_rows=[_topic_row(t) for t in topics.topics],
            **extra,
        )

    def rows(self) -> list[dict]:
        """The paragraphs as the report and paragraphs.csv take them (from the DataFrame once
        there is one: a notebook user may have changed it)."""
        if "paragraphs" not in self._frames:
            return [dict(row) for row in self.paragraph_rows]
        frame = self._frames["paragraphs"]
        extra = [c for c in frame.columns if c not in PARAGRAPH_COLUMNS]
        self._say_extra("paragraphs", extra, "paragraphs.csv")
        missing = [c for c in PARAGRAPH_COLUMNS if c not in frame.columns]
        if missing and "paragraph_id" not in frame.columns:
            self._say(
                "run.paragraphs has no column paragraph_id (dropped or renamed): the run's own "
                "paragraphs are used, without the DataFrame's changes"
            )
            return [dict(row) for row in self.paragraph_rows]
        rows = frame.to_dict(orient="records")
        if missing:  # each paragraph's own value, by its id
            before = {r.get("paragraph_id"): r for r in self.paragraph_rows}
            unknown = 0
            for row in rows:
                old = before.get(row["paragraph_id"])
                unknown += old is None
                row.update({c: (old or {}).get(c) for c in missing})
            new = f"; {unknown} paragraphs the run does not hold have them empty" if unknown else ""
            self._say(
                f"run.paragraphs has no column {', '.join(missing)} (dropped or renamed): taken "
                f"from the run's own paragraphs, by paragraph_id{new}"
            )
        for index, row in zip(frame.index, rows, strict=True):
            row["topic"] = _topic_id(row["topic"], index)
        return rows

    def topics_document(self) -> TopicsDocument:
        """topics.json, its topics as the ``topics`` DataFrame holds them now."""
        if "topics" not in self._frames:
            return self.document
        frame = self._frames["topics"]
        self._say_extra("topics", [c for c in frame.columns if c not in _TOPIC_COLUMNS], "topics.json")
        if "id" not in frame.columns:
            self._say(
                "run.topics has no column id (dropped or renamed): the run's document "
                "(run.document) is used, without the DataFrame's changes"
            )
            return self.document
        before = {t.id: t for t in self.document.topics}
        records = frame.to_dict(orient="records")
        missing = [c for c in _TOPIC_COLUMNS if c not in frame.columns]
        if missing:  # each topic's own value, by its id: never an evidence silently lost
            unknown = [t["id"] for t in records if t["id"] not in before]
            for t in records:
                old = before.get(t["id"])
                t.update({c: _topic_row(old)[c] if old else _NO_TOPIC[c] for c in missing})
            new = f"; topic {', '.join(map(str, unknown))} is not in it: left empty there" if unknown else ""
            self._say(
                f"run.topics has no column {', '.join(missing)} (dropped or renamed): taken from "
                f"the run's document (run.document), by id{new}"
            )
        topics = [
            TopicEntry(
                id=int(t["id"]),
                label=t["label"],
                size=int(t["size"]),
                keywords=list(zip(t["keywords"], t["keyword_weights"], strict=True)),
                representative=list(t["representative"]),
                guided_theme=t["guided_theme"],
                parent=_whole_or_none(t.get("parent")),
                persistence=t.get("persistence"),
                exemplars=list(t.get("exemplars") or []),
                answers=_support(t.get("answers"), t.get("answer_share"), before.get(t["id"]), "answers"),
                authors=_support(t.get("authors"), t.get("author_share"), before.get(t["id"]), "authors"),
                single_answer=bool(t.get("single_answer")),
            )
            for t in records
        ]
        return self.document.model_copy(update={"topics": topics})

    def _say(self, message: str) -> None:
        """A warning about the DataFrames as written, once per run (once per write)."""
        if message not in self._said:
            self._said.add(message)
            warnings.warn(message, UserWarning, stacklevel=4)

    def _say_extra(self, frame: str, columns: list, file: str) -> None:
        if columns:
            names = ", ".join(map(str, columns))
            self._say(f"run.{frame}: column {names} is not one {file} holds: not written")

    def figures(self, names: list[str] | None = None) -> dict[str, Any]:
        """The report's Plotly figures by name (:data:`FIGURES`; only ``names`` if given)."""
        from themescope.reports.html import build_figures, with_template  # heavy: pulls plotly

        if names is not None:
            names = [_figure_name(n) for n in names]
        return with_template(build_figures(self, names))

    def figure(self, name: str):
        """One of the report's figures: ``run.figure("map").show()``."""
        name = _figure_name(name)
        if name not in FIGURES:
            raise KeyError(f"no figure {name!r}; the figures are {', '.join(FIGURES)}")
        figures = self.figures([name])
        if name not in figures:
            raise KeyError(f"this run has no {name!r} figure: {ABSENT[name]}")
        return figures[name]

    def report_html(self) -> str:
        from themescope.reports.html import render_report  # heavy: pulls plotly

        return render_report(self)

    def write(
        self,
        folder: str | Path,
        keep_away: Sequence[Path] = (),
        on_written: Callable[[Path], None] | None = None,
    ) -> None:
        """Write the run folder ``folder``: the one path every run folder is written by
        (``themescope run``, ``themescope.run``, ``fit(out=...)`` and this method). Refused
        (UserError) when the folder holds anything a run did not write or is, or holds, one of
        ``keep_away`` (the inputs, the cache); built beside it and swapped in whole, so a
        failed or killed write leaves the previous run as it was; ``on_written(folder)`` is
        called the moment it is in place."""
        folder = user_path(folder)
        check_output_dir(folder, list(keep_away))
        self._said.clear()  # each write says what of the DataFrames it could not write
        with atomic_dir(folder, on_written) as tmp:
            self._write_into(tmp)
        self.directory = folder

    def _write_into(self, folder: Path) -> None:
        """The run's files, into the new empty folder ``folder``; manifest.json last, with
        the report's time and the list of files written."""
        self.manifest.schema_version = SCHEMA_VERSION
        if self.model_dir is not None and self.model_dir.is_dir():
            shutil.copytree(self.model_dir, folder / "model")
        elif self.model is not None:  # fitted in this process
            from themescope.topics.result import save_model  # heavy: pulls numpy

            notes: list[str] = []
            save_model(self.model, folder / "model", notes)
            self.manifest.warnings += [n for n in notes if n not in self.manifest.warnings]
        write_paragraphs_csv(folder / "paragraphs.csv", self.rows())
        self.manifest.csv = CSV_FORMAT.model_copy()
        write_json(folder / "topics.json", self.topics_document().to_json())
        start = time.perf_counter()
        (folder / "report.html").write_text(self.report_html(), "utf-8")
        seconds = round(time.perf_counter() - start, 3)
        self.manifest.stages["report"] = StageRecord(cache="always rendered", seconds=seconds)
        written = [p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()]
        self.manifest.files = sorted({*written, "manifest.json"} - {PARTIAL_MARKER})
        write_json(folder / "manifest.json", self.manifest.to_json())

    @classmethod
    def load(cls, folder: str | Path) -> Run:
        """Read a run folder; anything missing, malformed or newer than this version reads is
        an InputError naming the file (and line). A folder without manifest.json loads with
        an empty manifest (compare needs only the paragraphs and topics); ``~`` is expanded."""
        folder = user_path(folder)
        for name in ("paragraphs.csv", "topics.json"):
            if not (folder / name).is_file():
                raise InputError(f"{folder}: not a themescope run directory (no {name})")
        manifest = read_json(folder / "manifest.json") if (folder / "manifest.json").is_file() else {}
        version = manifest.get("schema_version", 1)
        where = folder / "manifest.json"
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise InputError(f"{where}: schema_version {version!r} is not a run folder schema")
        if version > SCHEMA_VERSION:
            raise InputError(
                f"{where}: run folder schema {version}, newer than this themescope reads "
                f"(up to {SCHEMA_VERSION}); upgrade themescope"
            )
        topics = read_json(folder / "topics.json")
        old, both = [], []
        for name, document in (("topics.json", topics), ("manifest.json", manifest)):
            _, found, given = renamed.folder_fields(name, document)
            old += [f"{name}'s {f}" for f in found]
            both += [f"{name} gives {f}" for f in given]
        said = [f"read {', '.join(old)}"] if old else []
        if old or both:
            renamed.warn(f"{folder}: written by an older themescope; {'; '.join(said + both)}")
        rows = read_paragraphs(folder / "paragraphs.csv", formula_escape(manifest, where))
        model_dir = folder / "model"
        try:
            return cls.from_documents(
                rows, topics, manifest, directory=folder, model_dir=model_dir if model_dir.is_dir() else None
            )
        except ValidationError as exc:
            error = exc.errors()[0]
            name = {"TopicsDocument": "topics.json", "Manifest": "manifest.json"}.get(exc.title, exc.title)
            key = ".".join(str(part) for part in error["loc"]) or "(the whole file)"
            why = one_line(error["msg"]).removeprefix("Value error, ")
            raise InputError(f"{folder / name}: {key} not as a run writes it: {why}") from None
        except (ValueError, TypeError) as exc:
            raise InputError(
                f"{folder}: topics.json or manifest.json not as a run writes them: {one_line(exc)}"
            ) from None

    def _repr_html_(self) -> str:
        """A compact summary for Jupyter: the counts, then one line per topic."""
        counts = self.manifest.counts
        outliers = self.document.outlier_share
        head = (
            f"<b>{html.escape(self.manifest.title)}</b><br>"
            f"{counts.paragraphs or len(self.paragraphs)} paragraphs, {len(self.topics)} topics, "
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


def _figure_name(name: str) -> str:
    """A figure's name, from its old name (renamed.FIGURES) with a warning."""
    if name in renamed.FIGURES:
        renamed.warn(f"figure {name!r} is deprecated: its name is {renamed.FIGURES[name]!r}", stacklevel=4)
        return renamed.FIGURES[name]
    return name


def _topic_id(value: Any, index: Any) -> int:
    """A paragraph's topic as the DataFrame holds it: a missing one (None, NaN, NA; a column
    with one NaN holds every topic as a float) is an outlier, -1; anything but a whole number
    is a UserError naming the column and the row."""
    import pandas as pd

    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return -1
    if isinstance(value, numbers.Real) and not isinstance(value, bool) and float(value).is_integer():
        return int(value)
    raise UserError(f"paragraphs: column topic, row {index!r}: {value!r} is not a topic id (a whole number)")


def _whole_or_none(value: Any) -> int | None:
    """A topic's parent as topics.json holds it: a DataFrame holds a missing one as NaN."""
    return None if value is None or value != value else int(value)


def _support(count: Any, share: Any, before: TopicEntry | None, key: str) -> SupportRecord | None:
    """A topic's ``answers`` or ``authors`` from the DataFrame's count and share (None where
    they are missing), with the ``top_share`` topics.json held."""
    if count is None or count != count:
        return None
    old = getattr(before, key, None)
    share = 0.0 if share is None or share != share else float(share)
    return SupportRecord(count=int(count), share=share, top_share=old.top_share if old else 0.0)


# A topic's values where neither the DataFrame nor the run's document has them.
_NO_TOPIC: dict[str, Any] = {
    "label": "",
    "size": 0,
    "keywords": [],
    "keyword_weights": [],
    "representative": [],
    "guided_theme": None,
    "parent": None,
    "persistence": None,
    "exemplars": [],
    "answers": None,
    "answer_share": None,
    "authors": None,
    "author_share": None,
    "single_answer": False,
}


def _topic_row(topic: TopicEntry) -> dict[str, Any]:
    """A topic as a row of the ``topics`` DataFrame (its keywords and their weights apart)."""
    return {
        "id": topic.id,
        "label": topic.label,
        "size": topic.size,
        "keywords": [w for w, _ in topic.keywords],
        "keyword_weights": [s for _, s in topic.keywords],
        "representative": list(topic.representative),
        "guided_theme": topic.guided_theme,
        "parent": topic.parent,
        "persistence": topic.persistence,  # None in a run written before it was measured
        "exemplars": list(topic.exemplars),
        # None in a run written before they were counted
        "answers": topic.answers.count if topic.answers else None,
        "answer_share": topic.answers.share if topic.answers else None,
        "authors": topic.authors.count if topic.authors else None,
        "author_share": topic.authors.share if topic.authors else None,
        "single_answer": topic.single_answer,
    }
