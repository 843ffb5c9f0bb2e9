"""Record formats (JSONL, JSON, CSV, TSV): one answer per record with question, author and text.

A problem with the whole file (not JSON at all, no text column) raises InputError. A problem
with one record is yielded as an InputError in place of the record, so the caller decides:
fail on it, or skip it and report it (``input.on_error = "skip"``).
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Iterator

from themescope.errors import InputError

REQUIRED = ("question", "author", "text")
OPTIONAL = ("question_id", "answer_id", "lang", "url", "date", "label")

RecordOrError = tuple[int, dict | InputError]
_SURROGATE = re.compile("[\ud800-\udfff]")

# Scraped answers can be long; the csv module's 128 KiB field limit is not a user's problem.
LARGE_FIELDS = min(sys.maxsize, 2**31 - 1)


def iter_records(text: str, fmt: str, source: str) -> Iterator[RecordOrError]:
    """Yield (line or record number, record dict or the InputError that record raised)."""
    if fmt == "jsonl":
        yield from _jsonl(text, source)
    elif fmt == "json":
        yield from _json(text, source)
    else:
        yield from _delimited_rows(text, source, fmt)


def _delimited_rows(text: str, source: str, fmt: str) -> list[RecordOrError]:
    """Every row, read with csv's field limit raised for this read only (a library must not
    change it for the whole process, and the limit is global): the rows are read at once,
    so the limit is back before the caller sees the first one."""
    previous = csv.field_size_limit(LARGE_FIELDS)
    try:
        if fmt == "tsv":
            return _tsv(text, source)
        return list(_delimited(text, source, _csv_delimiter(text)))
    finally:
        csv.field_size_limit(previous)


# What spreadsheets and databases export as "CSV": comma first, then the semicolon of
# locales whose decimal mark is a comma, tab and pipe.
_DELIMITERS = ",;\t|"
_SNIFF_CHARS = 64 * 1024


def _csv_delimiter(text: str) -> str:
    """The delimiter whose header names a 'text' column: the comma, else csv.Sniffer's guess,
    else any other common one. None fits: the comma (the error then shows its header)."""
    try:
        sniffed = [csv.Sniffer().sniff(text[:_SNIFF_CHARS], delimiters=_DELIMITERS).delimiter]
    except csv.Error:
        sniffed = []
    for delimiter in dict.fromkeys([",", *sniffed, *_DELIMITERS]):
        if "text" in _header(text, delimiter, csv.QUOTE_MINIMAL):
            return delimiter
    return ","


def _header(text: str, delimiter: str, quoting: int) -> list[str]:
    """The first row's names, stripped of the spaces hand-written headers put after commas."""
    try:
        row = next(csv.reader(io.StringIO(text), delimiter=delimiter, quoting=quoting), [])
    except csv.Error:
        return []
    return [name.strip() for name in row]


def _tsv(text: str, source: str) -> list[RecordOrError]:
    """Tab-separated rows. Exports differ: pandas and spreadsheets quote a cell holding a tab,
    a newline or a quote; databases and most scrapers never quote, and their text may start
    with a quote ("Yes," she said). Read quoted first; if that fails on some row and the
    unquoted reading fails on none, the file was not quoted."""
    try:
        quoted = list(_delimited(text, source, "\t", csv.QUOTE_MINIMAL))
    except InputError as header_error:
        try:
            return list(_delimited(text, source, "\t", csv.QUOTE_NONE))
        except InputError:
            raise header_error from None
    if not _has_errors(quoted):
        return quoted
    try:
        plain = list(_delimited(text, source, "\t", csv.QUOTE_NONE))
    except InputError:
        return quoted
    return quoted if _has_errors(plain) else plain


def _has_errors(rows: list[RecordOrError]) -> bool:
    return any(isinstance(record, InputError) for _, record in rows)


def _jsonl(text: str, source: str) -> Iterator[RecordOrError]:
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (ValueError, RecursionError) as exc:  # ValueError: also a number of 4,300+ digits
            message = exc.msg if isinstance(exc, json.JSONDecodeError) else _why_not_json(exc)
            yield number, InputError(f"{source}:{number}: not valid JSON ({message})")
            continue
        yield number, check_record(record, f"{source}:{number}")


def _why_not_json(exc: Exception) -> str:
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    return " ".join(str(exc).split())[:200]  # e.g. an integer of thousands of digits


def _json(text: str, source: str) -> Iterator[RecordOrError]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{source}:{exc.lineno}: not valid JSON ({exc.msg})") from None
    except (ValueError, RecursionError) as exc:
        raise InputError(f"{source}: not valid JSON ({_why_not_json(exc)})") from None
    if isinstance(data, dict):
        data = data.get("records", data.get("answers", [data]))
    if not isinstance(data, list):
        raise InputError(f"{source}: expected a list of records")
    for number, record in enumerate(data, start=1):
        yield number, check_record(record, f"{source}: record {number}")


def _delimited(
    text: str, source: str, delimiter: str, quoting: int = csv.QUOTE_MINIMAL
) -> Iterator[RecordOrError]:
    # strict: a quote left open to the end of the file is an error, not one long last cell
    # that swallowed every row after it. csv.reader rather than DictReader, so each row's
    # first line is known even after blank lines, and a bad row is that row's error only.
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True, quoting=quoting)
    try:
        header = [name.strip() for name in next(reader, [])]
    except csv.Error as exc:
        raise InputError(f"{source}:1: malformed header ({exc})") from None
    if "text" not in header:
        shown = ", ".join(map(repr, header[:6])) + (", ..." if len(header) > 6 else "")
        raise InputError(
            f"{source}:1: no 'text' column in the header (read as {delimiter!r}-separated: {shown}; "
            "the delimiters tried are , ; tab |)"
        )
    repeated = sorted({name for name in header if header.count(name) > 1 and name in (*REQUIRED, *OPTIONAL)})
    if repeated:
        raise InputError(f"{source}:1: column {', '.join(map(repr, repeated))} appears twice in the header")
    while True:
        start = reader.line_num + 1  # where the row about to be read begins
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield start, InputError(f"{source}:{start}: malformed row ({exc})")
            continue
        if not cells:  # a blank line
            continue
        where = f"{source}:{start}"
        if len(cells) > len(header):  # cut at the header's width, the rest of the text would be lost
            yield (
                start,
                InputError(
                    f"{where}: {len(cells) - len(header)} more cell(s) than the header has (a {delimiter!r} "
                    "inside an unquoted text?)"
                ),
            )
            continue
        yield start, check_record(dict(zip(header, cells, strict=False)), where)


def check_record(record: object, where: str) -> dict | InputError:
    if not isinstance(record, dict):
        return InputError(f"{where}: expected an object with question, author and text")
    if "text" not in record:
        return InputError(f"{where}: no 'text'")
    problem = _text_problem(record["text"])
    if problem:
        return InputError(f"{where}: 'text' must be text, not {problem}")
    for key in ("question", "author", *OPTIONAL):
        value = record.get(key)
        if value is not None and not isinstance(value, str | int | float):
            return InputError(f"{where}: '{key}' must be text")
    for key in ("text", "question", "author", *OPTIONAL):
        value = record.get(key)
        # JSON may escape half of a UTF-16 pair ("\ud800"): no character, and no file can hold it.
        if isinstance(value, str) and _SURROGATE.search(value):
            return InputError(
                f"{where}: '{key}' holds an unpaired surrogate escape (\\ud800-\\udfff), not text"
            )
    return record


def is_empty_text(value: object) -> bool:
    """An empty or deleted answer (null, "" or only spaces): listed as dropped, not an error."""
    return value is None or (isinstance(value, str) and not value.strip())


def _text_problem(value: object) -> str | None:
    """What a record's 'text' is when it is no answer's text (None: it is text, maybe empty).
    A number is not an answer: reading 42 as the answer "42" would hide a broken export."""
    if value is None or isinstance(value, str):
        return None
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return f"a number ({value!r})"
    return "a list" if isinstance(value, list) else "an object"
