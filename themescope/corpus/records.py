"""Record formats (JSONL, JSON, CSV, TSV): one answer per record with question, author and text."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

from themescope.errors import InputError

REQUIRED = ("question", "author", "text")


def iter_records(text: str, fmt: str, source: str) -> Iterator[tuple[int, dict]]:
    """Yield (line or record number, record dict); raise InputError naming file and line."""
    if fmt == "jsonl":
        for number, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{source}:{number}: not valid JSON ({exc.msg})") from None
            yield number, _check(record, source, number)
    elif fmt == "json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"{source}:{exc.lineno}: not valid JSON ({exc.msg})") from None
        if isinstance(data, dict):
            data = data.get("records", data.get("answers", [data]))
        if not isinstance(data, list):
            raise InputError(f"{source}: expected a list of records")
        for number, record in enumerate(data, start=1):
            yield number, _check(record, source, number, "record")
    else:
        delimiter = "\t" if fmt == "tsv" else ","
        reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
        missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
        if missing and "text" in missing:
            raise InputError(f"{source}:1: no '{'/'.join(missing)}' column in the header")
        for record in reader:
            yield reader.line_num, _check(dict(record), source, reader.line_num)


def _check(record: object, source: str, number: int, unit: str = "line") -> dict:
    where = f"{source}:{number}" if unit == "line" else f"{source}: record {number}"
    if not isinstance(record, dict):
        raise InputError(f"{where}: expected an object with question, author and text")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{where}: missing or empty 'text'")
    for key in ("question", "author"):
        value = record.get(key)
        if value is not None and not isinstance(value, str | int | float):
            raise InputError(f"{where}: '{key}' must be text")
    return record
