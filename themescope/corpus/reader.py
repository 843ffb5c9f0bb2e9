"""Turn the files the input paths name (see paths.py) into one Corpus: decode, parse, annotate."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from themescope.config import ParagraphsConfig
from themescope.corpus.dates import date_fences, far_dates_warning, parse_date, undated_warning
from themescope.corpus.encoding import decode, maybe_gunzip
from themescope.corpus.language import detect_languages
from themescope.corpus.models import Answer, Corpus, Dropped, Question, SourceFile
from themescope.corpus.paths import EXTENSIONS, expand_inputs, plain_suffix, read_limited
from themescope.corpus.qa_text import answer_paragraphs, finish_paragraphs, parse_qa_text
from themescope.corpus.records import (
    OPTIONAL,
    REQUIRED,
    RecordOrError,
    check_record,
    is_empty_text,
    iter_records,
)
from themescope.errors import InputError
from themescope.rundir import formula_escape, read_json


def detect_format(path: Path, text: str) -> str:
    by_name = EXTENSIONS.get(plain_suffix(path))
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
    max_decompressed_mb: int | str = "auto",
) -> Corpus:
    """Read every input; with on_error='skip' a bad file or record is listed in ``dropped``.
    ``max_decompressed_mb`` is input.max_decompressed_mb: no file is held past it."""
    settings = settings or ParagraphsConfig()
    corpus = Corpus()
    files, corpus.dropped = expand_inputs(paths)
    for path in files:
        try:
            _read_file(path, fmt, settings, corpus, on_error == "skip", max_decompressed_mb)
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
    settings = settings or ParagraphsConfig()
    corpus = Corpus()
    checked = [(n, check_record(r, f"{source}: record {n}")) for n, r in enumerate(records, start=1)]
    corpus.questions, corpus.dropped, corpus.warnings = _questions_from_records(
        checked, source, settings, 0, on_error == "skip", unit="record"
    )
    if not corpus.paragraphs():
        raise InputError(f"{source}: no paragraphs found ({len(corpus.dropped)} lines or records dropped)")
    _annotate(corpus)
    return corpus


def _read_file(
    path: Path,
    fmt: str,
    settings: ParagraphsConfig,
    corpus: Corpus,
    skip_bad_records: bool,
    max_mb: int | str = "auto",
) -> None:
    data = read_limited(path, max_mb)
    text, encoding = decode(maybe_gunzip(data, str(path), max_mb), str(path))
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
        records = iter_records(text, file_format, source)
        mark = _formula_escape_of(path) if file_format in ("csv", "tsv") else ""
        if mark:  # a run's own paragraphs.csv, fed back in: its texts as the run held them
            records = ((line, _unmarked(record, mark)) for line, record in records)
        unit = "record" if file_format == "json" else "line"
        new_questions, dropped, warnings = _questions_from_records(
            records, source, settings, len(corpus.questions), skip_bad_records, unit
        )
        corpus.warnings.extend(warnings)
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


def _formula_escape_of(path: Path) -> str:
    """The mark a run put in front of spreadsheet-formula cells of ``path``, when ``path`` is
    a run folder's paragraphs.csv (``rundir.formula_escape``); else ""."""
    if path.name != "paragraphs.csv":
        return ""
    where = path.parent / "manifest.json"
    try:
        manifest = read_json(where)
    except InputError:  # no run folder around it: a user's own file of that name
        return ""
    return formula_escape(manifest, where) if "themescope_version" in manifest else ""


def _unmarked(record, mark: str):
    """A record with one ``mark`` taken off each text cell that begins with it."""
    if not isinstance(record, dict):
        return record
    return {
        key: value[len(mark) :] if isinstance(value, str) and value.startswith(mark) else value
        for key, value in record.items()
    }


def _questions_from_records(
    records: Iterable[RecordOrError],
    source: str,
    settings: ParagraphsConfig,
    start: int,
    skip_bad: bool,
    unit: str = "line",
) -> tuple[list[Question], list[Dropped], list[str]]:
    """Questions and answers from (record number, record or the error it raised); what was
    dropped; warnings (an answer_id given twice in one question: both answers are kept)."""
    questions: dict[str, Question] = {}
    answer_ids: dict[tuple[str, str], list[int]] = {}
    dropped: list[Dropped] = []
    unread: dict[str, None] = {}
    undated: list[tuple[str, int, str]] = []  # kept as given in paragraphs.csv, listed here
    for number, record in records:
        if isinstance(record, InputError):
            if not skip_bad:
                raise record
            dropped.append(Dropped("", f"skipped record: {record}", source, number))
            continue
        unread.update(dict.fromkeys(k for k in record if k not in _KNOWN_KEYS))
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
        if _field(record, "answer_id"):
            answer_ids.setdefault((key, _field(record, "answer_id")), []).append(number)
        if is_empty_text(record["text"]):  # a deleted or empty answer: ordinary in scraped pages
            dropped.append(Dropped("", "empty answer", source, number))
            continue
        answer = _answer(record, question, number, source, settings, dropped)
        if answer is not None:
            question.answers.append(answer)
            if answer.date and parse_date(answer.date) is None:
                undated.append((source, number, answer.date))
    warnings = (
        _repeated_ids(answer_ids, questions, source, unit)
        + _unread_keys(list(unread), source)
        + undated_warning(undated)
    )
    return list(questions.values()), dropped, warnings


_KNOWN_KEYS = frozenset((*REQUIRED, *OPTIONAL))


def _far_dates(corpus: Corpus) -> list[str]:
    """``dates.far_dates_warning`` for the records' dates, one per answer."""
    dated = [
        (question.source, answer.line, answer.date, day)
        for question in corpus.questions
        for answer in question.answers
        if answer.date and (day := parse_date(answer.date)) is not None
    ]
    fences = date_fences([day for *_, day in dated])
    if fences is None:
        return []
    far = [(source, line, value) for source, line, value, day in dated if not fences[0] <= day <= fences[1]]
    kept = [day for *_, day in dated if fences[0] <= day <= fences[1]]
    return far_dates_warning(far, kept)


def _unread_keys(keys: list[str], source: str) -> list[str]:
    """One warning naming the record keys (or CSV columns) themescope does not read, with the
    key each one may have meant ("Text" for "text"), so a misspelt field is not lost silently."""
    if not keys:
        return []
    import difflib

    def shown(key: str) -> str:
        close = difflib.get_close_matches(key.lower(), _KNOWN_KEYS, n=1, cutoff=0.75)
        return f"{key!r} (did you mean {close[0]!r}?)" if close else repr(key)

    listed = ", ".join(shown(str(k)[:60]) for k in keys[:10]) + (
        f" and {len(keys) - 10} more" if len(keys) > 10 else ""
    )
    return [f"{source}: not read, themescope does not know these keys: {listed}"]


def _answer(
    record: dict, question: Question, number: int, source: str, settings: ParagraphsConfig, dropped: list
) -> Answer | None:
    """The record's answer with its paragraphs, or None when none is left (listed in dropped)."""
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
    text = str(record["text"]).replace("\r\n", "\n")
    answer.paragraphs = answer_paragraphs(text, number, language, source, settings, dropped)
    answer.paragraphs = finish_paragraphs(answer, settings, source, dropped)
    if answer.paragraphs:
        return answer
    if len(dropped) == dropped_before:  # only invisible characters (zero-width spaces)
        shown = str(record["text"])[:40].encode("unicode_escape").decode("ascii")
        dropped.append(Dropped(shown, "no visible text", source, number))
    return None


def _repeated_ids(
    answer_ids: dict[tuple[str, str], list[int]], questions: dict[str, Question], source: str, unit: str
) -> list[str]:
    """One warning per answer_id that two or more records of one question give."""
    return [
        f"{source}: answer_id {answer_id!r} appears {len(numbers)} times in question "
        f"{questions[key].title[:60]!r} ({unit}s {', '.join(map(str, numbers))}); "
        "each is kept as its own answer"
        for (key, answer_id), numbers in answer_ids.items()
        if len(numbers) > 1
    ]


def _field(record: dict, key: str) -> str | None:
    value = record.get(key)
    return str(value).strip() or None if value is not None else None


def _annotate(corpus: Corpus) -> None:
    """Language per paragraph; exact duplicates point at their first occurrence; a warning
    listing the dates far from the others (over every file: the time view shows them all)."""
    corpus.warnings.extend(_far_dates(corpus))
    paragraphs = corpus.paragraphs()
    unknown = [p for p in paragraphs if p.language == "und"]
    for para, language in zip(unknown, detect_languages([p.text for p in unknown]), strict=True):
        para.language = language
    first_seen: dict[str, str] = {}
    for para in paragraphs:
        para.duplicate_of = first_seen.setdefault(para.text, para.id)
        if para.duplicate_of == para.id:
            para.duplicate_of = None
