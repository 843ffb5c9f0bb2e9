"""Turn the user's input paths (files, folders, globs; gzip too) into one Corpus."""

from __future__ import annotations

import glob
import hashlib
from pathlib import Path

from themescope.config import ParagraphsConfig
from themescope.corpus import clean
from themescope.corpus.encoding import decode, maybe_gunzip
from themescope.corpus.language import detect_language
from themescope.corpus.models import Answer, Corpus, Dropped, Paragraph, Question, SourceFile
from themescope.corpus.qa_text import finish_paragraphs, parse_qa_text
from themescope.corpus.records import iter_records
from themescope.errors import InputError

_EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv", ".tsv": "tsv"}
_TEXT_EXTENSIONS = {".txt", ".text", ".md", ""}


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files as given, folders recursively (known extensions), globs expanded; sorted, unique."""
    found: list[Path] = []
    for path in paths:
        if any(ch in str(path) for ch in "*?["):
            matches = sorted(Path(p) for p in glob.glob(str(path), recursive=True))
            if not matches:
                raise InputError(f"{path}: no file matches this pattern")
            found.extend(m for m in matches if m.is_file())
        elif path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file() and not p.name.startswith(".") and _known_suffix(p)
                )
            )
        elif path.is_file():
            found.append(path)
        else:
            raise InputError(f"{path}: no such file or directory")
    return list(dict.fromkeys(found))


def _known_suffix(path: Path) -> bool:
    suffix = _plain_suffix(path)
    return suffix in _EXTENSIONS or suffix in _TEXT_EXTENSIONS


def _plain_suffix(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return suffixes[-1] if suffixes else ""


def detect_format(path: Path, text: str) -> str:
    by_name = _EXTENSIONS.get(_plain_suffix(path))
    if by_name:
        return by_name
    head = text.lstrip()[:1]
    if head == "[":
        return "json"
    if head == "{":
        return "jsonl"
    return "qa-text"


def read_corpus(
    paths: list[Path],
    fmt: str = "auto",
    settings: ParagraphsConfig | None = None,
    on_error: str = "fail",
) -> Corpus:
    """Read every input; with on_error='skip' a bad file is listed in ``dropped`` instead of failing."""
    settings = settings or ParagraphsConfig()
    corpus = Corpus()
    for path in expand_paths(paths):
        try:
            _read_file(path, fmt, settings, corpus)
        except InputError as exc:
            if on_error != "skip":
                raise
            corpus.dropped.append(Dropped("", f"skipped file: {exc}", str(path)))
    if not corpus.paragraphs():
        raise InputError(
            f"{', '.join(str(p) for p in paths)}: no paragraphs found "
            f"({len(corpus.dropped)} lines or files dropped)"
        )
    _annotate(corpus)
    return corpus


def _read_file(path: Path, fmt: str, settings: ParagraphsConfig, corpus: Corpus) -> None:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    text, encoding = decode(maybe_gunzip(data, str(path)), str(path))
    file_format = detect_format(path, text) if fmt == "auto" else fmt
    source = str(path)
    if file_format == "qa-text":
        qid = f"q{len(corpus.questions) + 1}"
        try:
            question, dropped = parse_qa_text(text, source, qid, settings)
        except ValueError:
            raise InputError(f"{source}: no text") from None
        if not question.answers:
            raise InputError(
                f"{source}: no answers found (expected a title line, then an author line before each answer)"
            )
        new_questions = [question]
    else:
        new_questions, dropped = _questions_from_records(
            text, file_format, source, settings, start=len(corpus.questions)
        )
    corpus.questions.extend(new_questions)
    corpus.dropped.extend(dropped)
    corpus.files.append(
        SourceFile(
            path=source,
            format=file_format,
            encoding=encoding,
            sha256=hashlib.sha256(data).hexdigest(),
            bytes=len(data),
        )
    )


def _questions_from_records(
    text: str, fmt: str, source: str, settings: ParagraphsConfig, start: int
) -> tuple[list[Question], list[Dropped]]:
    questions: dict[str, Question] = {}
    dropped: list[Dropped] = []
    for number, record in iter_records(text, fmt, source):
        title = str(record.get("question") or "").strip() or "(untitled question)"
        key = str(record.get("question_id") or title)
        question = questions.get(key)
        if question is None:
            question = Question(id=f"q{start + len(questions) + 1}", title=title, source=source)
            questions[key] = question
        answer = Answer(
            id=f"{question.id}-a{len(question.answers) + 1}",
            author=str(record.get("author") or "").strip() or "(anonymous)",
            line=number,
        )
        for line in str(record["text"]).replace("\r\n", "\n").split("\n"):
            line = clean.clean_line(line)
            if not line:
                continue
            if settings.drop_captions and clean.is_caption(line):
                dropped.append(Dropped(line, "image caption", source, number))
                continue
            if settings.drop_footers and clean.is_footer(line):
                dropped.append(Dropped(line, "page footer", source, number))
                continue
            answer.paragraphs.append(Paragraph(id="", text=line, position=0, line=number))
        answer.paragraphs = finish_paragraphs(answer, settings, source, dropped)
        if answer.paragraphs:
            question.answers.append(answer)
    return list(questions.values()), dropped


def _annotate(corpus: Corpus) -> None:
    """Language per paragraph; exact duplicates point at their first occurrence."""
    first_seen: dict[str, str] = {}
    for para in corpus.paragraphs():
        para.language = detect_language(para.text)
        para.duplicate_of = first_seen.setdefault(para.text, para.id)
        if para.duplicate_of == para.id:
            para.duplicate_of = None
