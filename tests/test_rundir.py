"""The run folder's rules (themescope.rundir): a figure file counts as a run's only when
`report --export`'s list holds it with its sha256; anything else a re-run finds in the folder
is the user's, and survives (the re-run stops, naming it, with exit 2)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from themescope.errors import UserError
from themescope.rundir import EXPORTED_LIST, foreign_files
from themescope.runs import Run

from .conftest import run_cli
from .run_rows import ROWS

TOPICS = {
    "topics": [
        {"id": 0, "label": "sanctions", "size": 2, "keywords": [["sanctions", 1.0]], "representative": []},
        {"id": 1, "label": "alliance", "size": 2, "keywords": [["nato", 1.0]], "representative": []},
    ]
}


def _run() -> Run:
    return Run.from_documents(ROWS, TOPICS, {"themescope_version": "0.1.0", "title": "rundir"})


@pytest.fixture
def written(tmp_path) -> Path:
    folder = tmp_path / "run"
    _run().write(folder)
    return folder


def _export_list(folder: Path, *names: str) -> None:
    """figures/.themescope-exported.json as `report --export` writes it."""
    files = {n: hashlib.sha256((folder / "figures" / n).read_bytes()).hexdigest() for n in names}
    (folder / EXPORTED_LIST).write_text(json.dumps({"files": files}), "utf-8")


def test_a_users_file_at_a_figures_name_without_the_export_list_survives_a_re_run(written):
    (written / "figures").mkdir()
    mine = written / "figures" / "map.png"
    mine.write_bytes(b"\x89PNG my own map")
    assert foreign_files(written) == ["figures/map.png"]
    with pytest.raises(UserError) as err:
        _run().write(written)
    assert "figures/map.png" in str(err.value) and "\n" not in str(err.value)
    assert mine.read_bytes() == b"\x89PNG my own map"
    # The command line says it in one line, exit 2, and writes nothing.
    proc = run_cli("report", str(written))
    assert proc.returncode == 2, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "figures/map.png" in proc.stderr
    assert mine.read_bytes() == b"\x89PNG my own map"


def test_a_figure_the_export_list_holds_unchanged_is_the_runs_and_is_replaced(written):
    (written / "figures").mkdir()
    (written / "figures" / "map.svg").write_text("<svg/>", "utf-8")
    (written / "figures" / "keywords.png").write_bytes(b"\x89PNG drawn")
    _export_list(written, "map.svg", "keywords.png")
    assert foreign_files(written) == []
    _run().write(written)  # the previous run, exported figures and all, is replaced
    assert not (written / "figures").exists()
    assert (written / "manifest.json").is_file()


def test_a_figure_edited_since_the_export_or_not_on_its_list_is_the_users(written):
    figures = written / "figures"
    figures.mkdir()
    (figures / "map.svg").write_text("<svg/>", "utf-8")
    _export_list(written, "map.svg")
    (figures / "map.svg").write_text("<svg>edited by hand</svg>", "utf-8")
    (figures / "flow.png").write_bytes(b"\x89PNG mine, beside the export")
    (figures / "themes.png").write_bytes(b"\x89PNG mine, at an old figure name")
    assert foreign_files(written) == ["figures/flow.png", "figures/map.svg", "figures/themes.png"]
    with pytest.raises(UserError, match=r"figures/flow\.png, figures/map\.svg, figures/themes\.png"):
        _run().write(written)
    assert (figures / "map.svg").read_text("utf-8") == "<svg>edited by hand</svg>"
    assert (figures / "flow.png").read_bytes() == b"\x89PNG mine, beside the export"
