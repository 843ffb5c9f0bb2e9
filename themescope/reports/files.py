"""The run directory's data files, in the schemas of architecture.md, and reading them back."""

from __future__ import annotations

import csv
import json
from pathlib import Path

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
]


def write_paragraphs_csv(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=PARAGRAPH_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def read_paragraphs_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        row["topic"] = int(row["topic"])
        row["position"] = int(row["position"])
        for key in ("probability", "x", "y"):
            row[key] = float(row[key])
    return rows


def write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def read_json(path: Path) -> dict:
    """A run's JSON file, or InputError naming the file (and line) when it is not one."""
    from themescope.errors import InputError

    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg})") from None
    except RecursionError:
        raise InputError(f"{path}: not valid JSON (nested too deeply)") from None
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected a JSON object")
    return data


def is_run_dir(folder: Path) -> bool:
    """A folder a themescope run wrote: its manifest names the tool's version."""
    from themescope.errors import InputError

    try:
        return "themescope_version" in read_json(folder / "manifest.json")
    except InputError:
        return False
