"""Turn the user's input paths (files, folders, globs; gzip too) into one Corpus."""

from __future__ import annotations

import fnmatch
import glob
import hashlib
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from themescope.config import ParagraphsConfig
from themescope.corpus.encoding import decode, maybe_gunzip, size_limit, too_large
from themescope.corpus.language import detect_languages
from themescope.corpus.models import Answer, Corpus, Dropped, Question, SourceFile
from themescope.corpus.qa_text import answer_paragraphs, finish_paragraphs, parse_qa_text
from themescope.corpus.records import RecordOrError, is_empty_text, iter_records
from themescope.errors import InputError

_EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv", ".tsv": "tsv"}
_TEXT_EXTENSIONS = {".txt", ".text", ".md", ""}


def expand_paths(paths: list[str | Path]) -> list[Path]:
    """Files as given, folders recursively (known extensions), globs expanded; sorted, unique."""
    return expand_inputs(paths)[0]


def expand_inputs(paths: list[str | Path]) -> tuple[list[Path], list[Dropped]]:
    """``expand_paths``, and the files a folder held that are not read, each with the reason
    (so nothing the user pointed at is left out without a word)."""
    found: list[Path] = []
    skipped: list[Dropped] = []
    for path in map(Path, paths):
        if any(ch in str(path) for ch in "*?["):
            files, notes = _expand_pattern(path)
        elif path.is_dir():
            files, notes = _expand_folder(path)
        else:
            files, notes = [_regular_file(path)], []
        found += files
        skipped += notes
    return _unique_files(found), skipped


def _regular_file(path: Path) -> Path:
    """``path`` itself, or an InputError that says truly why it cannot be read."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise InputError(f"{path}: no such file or directory") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    kind = _not_regular(mode)
    if kind:
        raise InputError(f"{path}: is {kind}, not a regular file")
    return path


def _not_regular(mode: int) -> str | None:
    """What a file that is neither a regular file nor a folder is (a FIFO would block a read)."""
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    kinds = [
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ]
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def _entry_problem(path: Path) -> str | None:
    """Why a file found in a folder or by a pattern cannot be read, if it cannot."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return "a broken link" if path.is_symlink() else f"cannot read ({exc.strerror})"
    kind = _not_regular(mode)
    if kind:
        return f"{kind}, not a regular file"
    return "a folder" if stat.S_ISDIR(mode) else None


def _expand_folder(root: Path) -> tuple[list[Path], list[Dropped]]:
    """The input files under ``root`` (known extensions); what is not read, with the reason:
    hidden files and folders, earlier runs' folders, other file types, FIFOs and devices."""
    from themescope.run import is_run_dir

    found: list[Path] = []
    skipped: list[Dropped] = []
    for folder, subfolders, files in _walk(root):
        if "manifest.json" in files and is_run_dir(folder):
            skipped.append(Dropped("", "skipped folder: a themescope run's output", str(folder)))
            subfolders.clear()
            continue
        for name in [d for d in subfolders if d.startswith(".")]:
            skipped.append(Dropped("", "skipped folder: hidden", str(folder / name)))
            subfolders.remove(name)
        for name in files:
            path = folder / name
            reason = _skip_reason(path)
            if reason:
                skipped.append(Dropped("", f"skipped file: {reason}", str(path)))
            else:
                found.append(path)
    return sorted(found), skipped


def _skip_reason(path: Path) -> str | None:
    if path.name.startswith("."):
        return "hidden"
    problem = _entry_problem(path)
    if problem:
        return problem
    if not _known_suffix(path):
        return f"not an input type themescope reads ({path.suffix or 'no extension'})"
    return None


def _walk(root: Path) -> Iterator[tuple[Path, list[str], list[str]]]:
    """os.walk through symlinked folders, each real folder once: a link back up the tree (a
    loop) ends the walk there instead of recursing forever. Names sorted; the caller may
    remove entries from the folder list to prune them."""
    seen: set[str] = set()
    for folder, subfolders, files in os.walk(root, followlinks=True):
        real = os.path.realpath(folder)
        if real in seen:
            subfolders.clear()
            continue
        seen.add(real)
        subfolders.sort()
        yield Path(folder), subfolders, sorted(files)


def _expand_pattern(pattern: Path) -> tuple[list[Path], list[Dropped]]:
    """A glob's files; folders and FIFOs it matches are listed, not read. A ``**`` pattern is
    matched over ``_walk`` (glob.glob follows a symlink loop forever)."""
    parts = pattern.parts
    recursive = "**" in parts
    matches = _recursive_matches(parts) if recursive else sorted(map(Path, glob.glob(str(pattern))))
    if not matches:
        raise InputError(f"{pattern}: no file matches this pattern")
    found: list[Path] = []
    skipped: list[Dropped] = []
    for path in matches:
        problem = _entry_problem(path)
        if problem is None:
            found.append(path)
        elif problem == "a folder":
            skipped.append(Dropped("", "skipped folder: matched by a pattern, which reads files", str(path)))
        else:
            skipped.append(Dropped("", f"skipped file: {problem}", str(path)))
    return found, skipped


def _recursive_matches(parts: tuple[str, ...]) -> list[Path]:
    """Files under the pattern's fixed leading folders whose path matches the rest of it, as
    glob does (``**`` spans folders, a name starting with a dot only matches a dot)."""
    fixed = next(i for i, part in enumerate(parts) if any(ch in part for ch in "*?["))
    base = Path(*parts[:fixed]) if fixed else Path()
    if not base.is_dir():
        return []
    matches = []
    for folder, _subfolders, files in _walk(base):
        for name in files:
            path = folder / name
            if _matches(path.relative_to(base).parts, parts[fixed:]):
                matches.append(path)
    return sorted(matches)


def _matches(names: tuple[str, ...], pattern: tuple[str, ...]) -> bool:
    if not pattern:
        return not names
    head, rest = pattern[0], pattern[1:]
    if head == "**":
        return any(
            _matches(names[i:], rest)
            for i in range(len(names) + 1)
            if not any(name.startswith(".") for name in names[:i])
        )
    return bool(names) and _name_matches(names[0], head) and _matches(names[1:], rest)


def _name_matches(name: str, pattern: str) -> bool:
    return fnmatch.fnmatchcase(name, pattern) and (not name.startswith(".") or pattern.startswith("."))


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
    from themescope.corpus.records import check_record

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


def read_limited(path: Path, max_mb: int | str = "auto") -> bytes:
    """The file's bytes, refused when it is not a regular file (opened without blocking, so a
    FIFO swapped in after the check cannot hang the read) or larger than the limit."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fd)
        if _not_regular(info.st_mode) or stat.S_ISDIR(info.st_mode):
            raise InputError(f"{path}: is {_not_regular(info.st_mode) or 'a folder'}, not a regular file")
        limit = size_limit(max_mb)
        if info.st_size > limit:  # refused before a byte is read
            raise too_large(str(path), limit, max_mb)
        try:
            data = fh.read(info.st_size + 1)
            if len(data) > info.st_size:  # it grew since: read on, to the limit
                data += fh.read(limit + 1 - len(data))
        except OSError as exc:
            raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    if len(data) > limit:
        raise too_large(str(path), limit, max_mb)
    return data


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
        if _field(record, "answer_id"):
            answer_ids.setdefault((key, _field(record, "answer_id")), []).append(number)
        if is_empty_text(record["text"]):  # a deleted or empty answer: ordinary in scraped pages
            dropped.append(Dropped("", "empty answer", source, number))
            continue
        answer = _answer(record, question, number, source, settings, dropped)
        if answer is not None:
            question.answers.append(answer)
    return list(questions.values()), dropped, _repeated_ids(answer_ids, questions, source, unit)


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
