"""The parsed corpus: questions hold answers, answers hold paragraphs; what was dropped is kept too."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass
class Paragraph:
    id: str
    text: str
    position: int  # order inside its answer, from 0
    heading: str | None = None
    language: str = "und"
    line: int | None = None  # 1-based line in the source file, when known
    duplicate_of: str | None = None
    part: int | None = None  # 1, 2, ... when a paragraph too long for the model was split


@dataclass
class Answer:
    id: str
    author: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    line: int | None = None
    # Optional record fields, kept as given: the user's own ids, the page, the date, a gold label.
    source_id: str | None = None
    url: str | None = None
    date: str | None = None
    label: str | None = None


@dataclass
class Question:
    id: str
    title: str
    source: str
    answers: list[Answer] = field(default_factory=list)
    body: str = ""  # text between the title and the first answer, if any
    source_id: str | None = None


@dataclass
class Dropped:
    """Something the user gave that is not analysed, and why (never dropped silently)."""

    text: str
    reason: str
    source: str
    line: int | None = None


@dataclass
class SourceFile:
    path: str
    format: str
    encoding: str
    sha256: str
    bytes: int


@dataclass
class Corpus:
    questions: list[Question] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    files: list[SourceFile] = field(default_factory=list)
    # What the user should know that is neither an error nor dropped (an answer_id given twice).
    warnings: list[str] = field(default_factory=list)

    def rows(self) -> list[dict]:
        """One flat row per paragraph, in reading order, with its question and answer."""
        return [
            {
                "paragraph_id": p.id,
                "question_id": q.id,
                "answer_id": a.id,
                "author": a.author,
                "position": p.position,
                "heading": p.heading or "",
                "language": p.language,
                "text": p.text,
                # The user's own ids, page and date, to find the paragraph back in their data.
                "source_question_id": q.source_id or "",
                "source_answer_id": a.source_id or "",
                "url": a.url or "",
                "date": a.date or "",
            }
            for q in self.questions
            for a in q.answers
            for p in a.paragraphs
        ]

    def paragraphs(self) -> list[Paragraph]:
        return [p for q in self.questions for a in q.answers for p in a.paragraphs]

    def to_dict(self) -> dict:
        """The ``themescope inspect --json`` schema of architecture.md."""
        return {
            "questions": [
                {
                    "id": q.id,
                    "title": q.title,
                    "source": q.source,
                    "source_id": q.source_id,
                    "answers": [
                        {
                            "id": a.id,
                            "author": a.author,
                            "source_id": a.source_id,
                            "url": a.url,
                            "date": a.date,
                            "label": a.label,
                            "paragraphs": [
                                {
                                    "id": p.id,
                                    "text": p.text,
                                    "heading": p.heading,
                                    "language": p.language,
                                }
                                for p in a.paragraphs
                            ],
                        }
                        for a in q.answers
                    ],
                }
                for q in self.questions
            ],
            "dropped": [asdict(d) for d in self.dropped],
            "files": [asdict(f) for f in self.files],
            "warnings": list(self.warnings),
        }

    def digest(self) -> str:
        """A hash of everything in the corpus: the stage key of a corpus given in memory."""
        import hashlib

        text = json.dumps(self._state(), ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def save(self, folder: Path) -> None:
        """The whole corpus as JSON, for the stage cache (no pickle)."""
        (folder / "corpus.json").write_text(json.dumps(self._state(), ensure_ascii=False), "utf-8")

    def _state(self) -> dict:
        """``asdict(self)``, an equal dict of fresh dicts, built without asdict's deep copy of
        every value (every field here is a plain value): 1.3 s instead of 3.8 s for 143,705
        paragraphs."""

        def answer(a: Answer) -> dict:
            return vars(a) | {"paragraphs": [dict(vars(p)) for p in a.paragraphs]}

        return {
            "questions": [vars(q) | {"answers": list(map(answer, q.answers))} for q in self.questions],
            "dropped": [dict(vars(d)) for d in self.dropped],
            "files": [dict(vars(f)) for f in self.files],
            "warnings": list(self.warnings),
        }

    @classmethod
    def load(cls, folder: Path) -> Corpus:
        state = json.loads((folder / "corpus.json").read_text("utf-8"))
        return cls(
            questions=[
                Question(
                    **(
                        q
                        | {
                            "answers": [
                                Answer(**(a | {"paragraphs": [Paragraph(**p) for p in a["paragraphs"]]}))
                                for a in q["answers"]
                            ]
                        }
                    )
                )
                for q in state["questions"]
            ],
            dropped=[Dropped(**d) for d in state["dropped"]],
            files=[SourceFile(**f) for f in state["files"]],
            warnings=state.get("warnings", []),  # stage caches written before warnings existed
        )
