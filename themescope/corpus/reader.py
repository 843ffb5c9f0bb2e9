"""Turn the user's input paths (files, folders, globs; gzip too) into one Corpus."""

from __future__ import annotations

import glob
import hashlib
from collections.abc import Iterable
from pathlib import Path

from themescope.config import ParagraphsConfig
from themescope.corpus import clean
from themescope.corpus.encoding import decode, maybe_gunzip
from themescope.corpus.language import detect_languages
from themescope.corpus.models import Answer, Corpus, Dropped, Paragraph, Question, SourceFile
from themescope.corpus.qa_text import finish_paragraphs, parse_qa_text
from themescope.corpus.records import RecordOrError, iter_records
from themescope.errors import InputError

_EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv", ".tsv": "tsv"}
_TEXT_EXTENSIONS = {".txt", ".text", ".md", ""}


def expand_paths(paths: list[str | Path]) -> list[Path]:
    """Files as given, folders recursively (known extensions), globs expanded; sorted, unique."""
    return expand_inputs(paths)[0]


def expand_inputs(paths: list[str | Path]) -> tuple[list[Path], list[Dropped]]:
    """``expand_paths``, and the files a folder held that are not read, each with the reason
    (so nothing the user pointed at is left out without a word)."""
    from themescope.run import is_run_dir

    found: list[Path] = []
    skipped: list[Dropped] = []
    for path in map(Path, paths):
        if any(ch in str(path) for ch in "*?["):
            matches = sorted(Path(p) for p in glob.glob(str(path), recursive=True))
            if not matches:
                raise InputError(f"{path}: no file matches this pattern")
            found.extend(m for m in matches if m.is_file())
        elif path.is_dir():
            runs = sorted(p.parent for p in path.rglob("manifest.json") if is_run_dir(p.parent))
            skipped += [Dropped("", "skipped folder: a themescope run's output", str(run)) for run in runs]
            inside_runs = set(runs)
            for p in sorted(path.rglob("*")):
                if not p.is_file() or inside_runs.intersection(p.parents):
                    continue
                parts = p.relative_to(path).parts
                hidden = next((i for i, part in enumerate(parts) if part.startswith(".")), None)
                if hidden is not None and hidden < len(parts) - 1:  # in a hidden folder: listed once
                    folder = str(path.joinpath(*parts[: hidden + 1]))
                    if not any(d.source == folder for d in skipped):
                        skipped.append(Dropped("", "skipped folder: hidden", folder))
                    continue
                if hidden is not None:
                    reason = "hidden"
                elif not _known_suffix(p):
                    reason = f"not an input type themescope reads ({p.suffix or 'no extension'})"
                else:
                    found.append(p)
                    continue
                skipped.append(Dropped("", f"skipped file: {reason}", str(p)))
        elif path.is_file():
            found.append(path)
        else:
            raise InputError(f"{path}: no such file or directory")
    return _unique_files(found), skipped


def _unique_files(paths: list[Path]) -> list[Path]:
    """One entry per file, however it was named (relative, absolute, through a link)."""
    seen: set[Path] = set()
    unique = []
    for path in paths:
        real = path.resolve()
        if real not in seen:
            seen.add(real)
            unique.append(path)
    return unique


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
    paths: list[str | Path],
    fmt: str = "auto",
    settings: ParagraphsConfig | None = None,
    on_error: str = "fail",
) -> Corpus:
    """Read every input; with on_error='skip' a bad file or record is listed in ``dropped``."""
    settings = settings or ParagraphsConfig()
    corpus = Corpus()
    files, corpus.dropped = expand_inputs(paths)
    for path in files:
        try:
            _read_file(path, fmt, settings, corpus, skip_bad_records=on_error == "skip")
        except InputError as exc:
            if on_error != "skip":
                raise
            corpus.dropped.append(Dropped("", f"skipped file: {exc}", str(path)))
    if not corpus.paragraphs():
        raise InputError(
            f"{', '.join(str(p) for p in paths) or 'input.paths is empty'}: no paragraphs found "
            f"({len(corpus.dropped)} lines or files dropped)"
        )
    _annotate(corpus)
    return corpus


def corpus_from_records(
    records: list[dict],
    settings: ParagraphsConfig | None = None,
    on_error: str = "fail",
    source: str = "<records>",
) -> Corpus:
    """A corpus from records in memory (question, author, text and the optional fields), read
    exactly as a JSON file of the same records would be."""
    from themescope.corpus.records import check_record

    settings = settings or ParagraphsConfig()
    corpus = Corpus()
    checked = [(n, check_record(r, f"{source}: record {n}")) for n, r in enumerate(records, start=1)]
    corpus.questions, corpus.dropped = _questions_from_records(
        checked, source, settings, 0, on_error == "skip"
    )
    if not corpus.paragraphs():
        raise InputError(f"{source}: no paragraphs found ({len(corpus.dropped)} lines or records dropped)")
    _annotate(corpus)
    return corpus


def _read_file(
    path: Path, fmt: str, settings: ParagraphsConfig, corpus: Corpus, skip_bad_records: bool
) -> None:
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
            iter_records(text, file_format, source), source, settings, len(corpus.questions), skip_bad_records
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
    records: Iterable[RecordOrError], source: str, settings: ParagraphsConfig, start: int, skip_bad: bool
) -> tuple[list[Question], list[Dropped]]:
    """Questions and answers from (record number, record or the error it raised)."""
    questions: dict[str, Question] = {}
    dropped: list[Dropped] = []
    for number, record in records:
        if isinstance(record, InputError):
            if not skip_bad:
                raise record
            dropped.append(Dropped("", f"skipped record: {record}", source, number))
            continue
        title = _field(record, "question") or "(untitled question)"
        key = _field(record, "question_id") or title
        question = questions.get(key)
        if question is None:
            question = Question(
                id=f"q{start + len(questions) + 1}",
                title=title,
                source=source,
                source_id=_field(record, "question_id"),
            )
            questions[key] = question
        answer = Answer(
            id=f"{question.id}-a{len(question.answers) + 1}",
            author=_field(record, "author") or "(anonymous)",
            line=number,
            source_id=_field(record, "answer_id"),
            url=_field(record, "url"),
            date=_field(record, "date"),
            label=_field(record, "label"),
        )
        language = _field(record, "lang") or "und"  # the record's own language wins over detection
        dropped_before = len(dropped)
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
            answer.paragraphs.append(Paragraph(id="", text=line, position=0, line=number, language=language))
        answer.paragraphs = finish_paragraphs(answer, settings, source, dropped)
        if answer.paragraphs:
            question.answers.append(answer)
        elif len(dropped) == dropped_before:  # only invisible characters (zero-width spaces)
            shown = str(record["text"])[:40].encode("unicode_escape").decode("ascii")
            dropped.append(Dropped(shown, "no visible text", source, number))
    return list(questions.values()), dropped


def _field(record: dict, key: str) -> str | None:
    value = record.get(key)
    return str(value).strip() or None if value is not None else None


def _annotate(corpus: Corpus) -> None:
    """Language per paragraph; exact duplicates point at their first occurrence."""
    paragraphs = corpus.paragraphs()
    unknown = [p for p in paragraphs if p.language == "und"]
    for para, language in zip(unknown, detect_languages([p.text for p in unknown]), strict=True):
        para.language = language
    first_seen: dict[str, str] = {}
    for para in paragraphs:
        para.duplicate_of = first_seen.setdefault(para.text, para.id)
        if para.duplicate_of == para.id:
            para.duplicate_of = None
