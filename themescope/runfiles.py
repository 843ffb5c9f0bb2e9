"""The run folder's file formats: paragraphs.csv (read back with typed columns and one-line
errors naming the file and line; written with formula cells escaped, ``CSV_FORMAT``) and its
JSON files."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from themescope.errors import InputError
from themescope.rundir import CSV_FORMAT, csv_cell

# --- reading paragraphs.csv -----------------------------------------------------------------

REQUIRED_COLUMNS = ("paragraph_id", "text", "topic")
_INTEGERS = ("topic", "position")
_FLOATS = ("probability", "x", "y")


def read_paragraphs(path: Path, formula_escape: str = "") -> list[dict]:
    """paragraphs.csv's rows, typed; every column but paragraph_id, text and topic may be
    missing (""/0). Written by hand over the csv module rather than pandas.read_csv, which
    reads "NA" or "null" in a paragraph as missing and splits rows on U+2028.

    ``formula_escape``: the mark the writer put in front of cells a spreadsheet would run
    (the manifest's ``csv.formula_escape``); one is taken off each cell that begins with it.
    "" (a folder written before the mark): every cell as it is."""
    # newline="": split rows on \n and \r only; str.splitlines would also split on U+2028
    # and other separators that web text can contain inside a paragraph.
    reader = csv.DictReader(io.StringIO(_read_text(path), newline=""))
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError(f"{path}: malformed paragraphs table (no column {', '.join(missing)})")
    rows, seen = [], set()
    try:
        for row in reader:
            line = reader.line_num
            if None in row or any(row[c] is None for c in REQUIRED_COLUMNS):
                raise InputError(f"{path}:{line}: malformed row (wrong number of fields)")
            typed = {column: row.get(column) or "" for column in PARAGRAPH_COLUMNS}
            if formula_escape:
                for column, value in typed.items():
                    if value.startswith(formula_escape):
                        typed[column] = value[len(formula_escape) :]
            for column, kind in [(c, int) for c in _INTEGERS] + [(c, float) for c in _FLOATS]:
                try:
                    typed[column] = kind(typed[column] or 0)
                except ValueError:
                    what = "a whole number" if kind is int else "a number"
                    raise InputError(f"{path}:{line}: {column} {typed[column]!r} is not {what}") from None
            # The broad theme's number, as the run holds it; "" where there is none.
            if typed["broad_theme"].isdigit():
                typed["broad_theme"] = int(typed["broad_theme"])
            if typed["paragraph_id"] in seen:
                raise InputError(f"{path}:{line}: paragraph_id {typed['paragraph_id']!r} appears twice")
            seen.add(typed["paragraph_id"])
            rows.append(typed)
    except csv.Error as exc:
        raise InputError(f"{path}:{reader.line_num}: malformed row ({one_line(exc)})") from None
    return rows


def _read_text(path: Path) -> str:
    """The file as it is: bytes decoded, no newline translation (a \r\n in a text stays); a
    UTF-8 byte-order mark (paragraphs.csv since ``CsvFormat``) is not part of the text."""
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({one_line(exc.strerror or exc)})") from None


def one_line(text: object) -> str:
    return " ".join(str(text).split())


# --- the files' formats -----------------------------------------------------------------------

PARAGRAPH_COLUMNS = [
    "paragraph_id",
    "question_id",
    "answer_id",
    "author",
    "position",
    "heading",
    "language",
    "text",
    "topic",
    "topic_label",
    "probability",
    "x",
    "y",
    # The user's own question_id and answer_id, the answer's url and date (records only; ""
    # otherwise): where to find the paragraph back in their data. Last, so that older readers
    # and run folders without them line up (Run.load reads those as "").
    "source_question_id",
    "source_answer_id",
    "url",
    "date",
    # The broad theme above the paragraph's topic ("" for outliers, or without broad themes).
    "broad_theme",
]


def write_paragraphs_csv(path: Path, rows: list[dict]) -> None:
    """paragraphs.csv as ``CSV_FORMAT`` says: every text cell that begins like a formula (or
    with the mark) gets the mark in front, and is quoted, as is every text cell (so that a
    ``;`` inside one cannot start a cell where a spreadsheet splits on semicolons); numbers
    (topic -1, probabilities) are written as numbers, neither marked nor quoted."""
    with path.open("w", encoding=CSV_FORMAT.encoding, newline="") as fh:
        writer = csv.DictWriter(
            fh, fieldnames=PARAGRAPH_COLUMNS, extrasaction="ignore", quoting=csv.QUOTE_NONNUMERIC
        )
        writer.writeheader()
        for row in rows:
            writer.writerow({column: csv_cell(value) for column, value in row.items()})


def write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
