"""Old names still work (themescope.renamed): a config with topics.themes, a run folder
written with topics.json's themes and topics[].theme, and the figure name "themes" load as
topics.guided_themes, guided_themes, guided_theme and "broad_themes", each with a message
that names the old name and the new one."""

from __future__ import annotations

import csv
import hashlib
import json
import warnings
from pathlib import Path

import pytest

from themescope.config import config_from_dict, load_config
from themescope.errors import ConfigError, RenamedWarning
from themescope.reports.figures import FIGURES
from themescope.rundir import EXPORTED_LIST, foreign_files
from themescope.runs import PARAGRAPH_COLUMNS, Run

from .conftest import run_cli

THEME = {"name": "Sanctions", "keywords": ["sanctions", "制裁"], "description": "Western sanctions"}
OLD_CONFIG = """[input]
paths = ["answers.txt"]

[[topics.themes]]
name = "Sanctions"
keywords = ["sanctions", "制裁"]
description = "Western sanctions"
"""


def test_a_config_with_the_old_key_loads_with_a_warning_naming_file_and_key(tmp_path):
    path = tmp_path / "old.toml"
    path.write_text(OLD_CONFIG, "utf-8")
    with pytest.warns(RenamedWarning) as caught:
        config = load_config(path)
    assert [str(w.message) for w in caught] == [
        f"{path}: topics.themes is deprecated: rename it topics.guided_themes"
    ]
    assert issubclass(RenamedWarning, DeprecationWarning)
    assert [t.model_dump() for t in config.topics.guided_themes] == [THEME]
    assert "themes" not in config.model_dump()["topics"]  # a run's manifest holds the new key
    new = tmp_path / "new.toml"
    new.write_text(OLD_CONFIG.replace("[[topics.themes]]", "[[topics.guided_themes]]"), "utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert load_config(new).model_dump() == config.model_dump()


def test_the_old_key_from_set_and_from_python_settings_loads_too(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text("", "utf-8")
    with pytest.warns(RenamedWarning, match=r"topics\.themes is deprecated"):
        config = load_config(path, ['topics.themes=[{name = "Sanctions"}]'])
    assert [t.name for t in config.topics.guided_themes] == ["Sanctions"]
    raw = {"topics": {"themes": [THEME]}}
    with pytest.warns(
        RenamedWarning, match=r"^topics\.themes is deprecated: rename it topics\.guided_themes$"
    ):
        assert config_from_dict(raw).topics.guided_themes[0].name == "Sanctions"
    assert raw == {"topics": {"themes": [THEME]}}  # the caller's dict is left as it was


def test_both_names_at_once_is_a_config_error(tmp_path):
    path = tmp_path / "both.toml"
    path.write_text(OLD_CONFIG + '\n[[topics.guided_themes]]\nname = "Alliances"\n', "utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert err.value.lines == [
        f"{path}: topics.themes and topics.guided_themes both given: topics.themes is the old name "
        "of topics.guided_themes; keep topics.guided_themes only"
    ]


def test_the_cli_says_the_old_key_on_one_line(tmp_path):
    path = tmp_path / "old.toml"
    path.write_text(OLD_CONFIG, "utf-8")
    proc = run_cli("validate", str(path))
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.splitlines() == [
        f"warning: {path}: topics.themes is deprecated: rename it topics.guided_themes"
    ]


# --- a run folder written before the renames -------------------------------------------------

TOPIC_IDS = (0, 1, 2, 3)


def _old_run_folder(folder: Path, figures: bool = False) -> Path:
    """A run folder as themescope wrote it before: topics.json's "themes" and each topic's
    "theme", manifest.json's topics.themes and config.topics.themes, figures/themes.png."""
    folder.mkdir()
    rows = []
    for i in range(12):
        topic = TOPIC_IDS[i % 4] if i < 11 else -1
        rows.append(
            {
                "paragraph_id": f"q1-a{i + 1}-p1",
                "question_id": "q1",
                "answer_id": f"q1-a{i + 1}",
                "author": f"author {i % 3}",
                "position": 0,
                "language": "en",
                "text": f"Paragraph {i} about topic {topic}",
                "topic": topic,
                "topic_label": f"label {topic}" if topic >= 0 else "outlier",
                "probability": 0.9,
                "x": float(i),
                "y": float(-i),
                "broad_theme": "" if topic < 0 else topic // 2,
            }
        )
    with (folder / "paragraphs.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, PARAGRAPH_COLUMNS, restval="")
        writer.writeheader()
        writer.writerows(rows)
    guided = [{"name": "Sanctions", "topic": 0, "score": 1.5, "keywords_support": True}]
    topics = {
        "topics": [
            {
                "id": t,
                "label": "Sanctions" if t == 0 else f"label {t}",
                "size": sum(r["topic"] == t for r in rows),
                "keywords": [[f"word{t}", 0.5]],
                "representative": [rows[t]["paragraph_id"]],
                "theme": "Sanctions" if t == 0 else None,
                "parent": t // 2,
                "level": 1,
            }
            for t in TOPIC_IDS
        ],
        "broad_themes": [
            {
                "id": b,
                "label": f"broad {b}",
                "size": 6,
                "keywords": [],
                "representative": [],
                "level": 0,
                "topics": [2 * b, 2 * b + 1],
            }
            for b in (0, 1)
        ],
        "outlier_share": round(1 / 12, 4),
        "reassigned_outliers": 0,
        "themes": guided,
        "similarity": [[1.0 if i == j else 0.2 for j in TOPIC_IDS] for i in TOPIC_IDS],
        "metrics": {"n_topics": 4},
    }
    (folder / "topics.json").write_text(json.dumps(topics), "utf-8")
    manifest = {
        "schema_version": 2,
        "themescope_version": "0.9",
        "title": "An old run",
        "config": {"topics": {"themes": [THEME], "broad_themes": "auto"}},
        "topics": {"n_topics": 4, "themes": guided},
    }
    if figures:
        (folder / "figures").mkdir()
        (folder / "figures" / "themes.png").write_bytes(b"png")
        manifest["files"] = ["manifest.json", "paragraphs.csv", "topics.json"]
    (folder / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    return folder


def _load_old(folder: Path) -> Run:
    with pytest.warns(RenamedWarning) as caught:
        run = Run.load(folder)
    assert [str(w.message) for w in caught] == [
        f"{folder}: written by an older themescope; read topics.json's themes as guided_themes, "
        "topics.json's topics[].theme as guided_theme, manifest.json's topics.themes as guided_themes, "
        "manifest.json's config.topics.themes as guided_themes"
    ]
    return run


def test_an_old_run_folder_loads_under_the_new_names(tmp_path):
    run = _load_old(_old_run_folder(tmp_path / "old"))
    guided = [{"name": "Sanctions", "topic": 0, "score": 1.5, "keywords_support": True}]
    assert run.details["guided_themes"] == guided and "themes" not in run.details
    column = run.topics["guided_theme"]
    assert column[0] == "Sanctions" and column[1:].isna().all()
    assert "theme" not in run.topics.columns
    assert run.manifest.topics.guided_themes == guided and "themes" not in run.manifest.topics.model_dump()
    assert run.manifest.config["topics"]["guided_themes"] == [THEME]
    assert [t["label"] for t in run.details["broad_themes"]] == ["broad 0", "broad 1"]


def test_an_old_run_folder_is_written_back_under_the_new_names(tmp_path):
    run = _load_old(_old_run_folder(tmp_path / "old"))
    run.write(tmp_path / "new")
    topics = json.loads((tmp_path / "new" / "topics.json").read_text("utf-8"))
    assert "themes" not in topics and topics["guided_themes"][0]["name"] == "Sanctions"
    assert [t["guided_theme"] for t in topics["topics"]] == ["Sanctions", None, None, None]
    assert not any("theme" in t for t in topics["topics"])
    manifest = json.loads((tmp_path / "new" / "manifest.json").read_text("utf-8"))
    assert "themes" not in manifest["topics"] and "themes" not in manifest["config"]["topics"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a folder under the new names loads without a word
        again = Run.load(tmp_path / "new")
    assert again.details["guided_themes"] == run.details["guided_themes"]


def test_the_old_figure_name_gives_the_broad_themes_figure_with_a_deprecation_warning(tmp_path):
    run = _load_old(_old_run_folder(tmp_path / "old"))
    assert "broad_themes" in FIGURES and "themes" not in FIGURES
    new = run.figure("broad_themes")
    with pytest.warns(DeprecationWarning, match=r"figure 'themes' is deprecated: its name is 'broad_themes'"):
        old = run.figure("themes")
    assert old.to_plotly_json() == new.to_plotly_json()
    with pytest.warns(DeprecationWarning, match="'themes'"):
        assert set(run.figures(["themes"])) == {"broad_themes"}
    assert "broad_themes" in run.figures()


def test_figures_exported_under_the_old_name_are_the_runs_own_when_the_export_listed_them(tmp_path):
    folder = _old_run_folder(tmp_path / "old", figures=True)
    assert foreign_files(folder) == ["figures/themes.png"]  # by its name alone: maybe the user's
    digest = hashlib.sha256(b"png").hexdigest()
    (folder / EXPORTED_LIST).write_text(json.dumps({"files": {"themes.png": digest}}), "utf-8")
    assert foreign_files(folder) == []


def test_a_folder_with_both_names_keeps_the_new_one_and_says_the_old_is_ignored(tmp_path):
    folder = _old_run_folder(tmp_path / "old")
    topics = json.loads((folder / "topics.json").read_text("utf-8"))
    topics["guided_themes"] = []
    topics["topics"][0]["guided_theme"] = "Kept"
    topics["topics"][2]["guided_theme"] = None  # the same value as its old name's
    (folder / "topics.json").write_text(json.dumps(topics), "utf-8")
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    manifest["config"]["topics"]["guided_themes"] = [THEME]  # the run's config: equal values
    (folder / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    with pytest.warns(RenamedWarning) as caught:
        run = Run.load(folder)
    assert [str(w.message) for w in caught] == [
        f"{folder}: written by an older themescope; read topics.json's topics[].theme as guided_theme, "
        "manifest.json's topics.themes as guided_themes; "
        "topics.json gives both themes and guided_themes: guided_themes is used, themes (its old name) "
        "is ignored; "
        "topics.json gives both topics[].theme and topics[].guided_theme: topics[].guided_theme is used, "
        "topics[].theme (its old name) is ignored (topics 0, 2); "
        "manifest.json gives both config.topics.themes and config.topics.guided_themes: "
        "config.topics.guided_themes is used, config.topics.themes (its old name) is ignored"
    ]
    assert run.details["guided_themes"] == [] and run.topics["guided_theme"].tolist()[0] == "Kept"
    assert run.manifest.config["topics"]["guided_themes"] == [THEME]
