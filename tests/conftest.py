"""Shared fixtures: the bundled sample, and one real end-to-end run shared by the e2e tests."""

from __future__ import annotations

import inspect
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from themescope.topics.stability import MACHINE_NOISE

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
SAMPLE = ROOT / "examples" / "us-russia-relations.txt"
DEFAULT_CONFIG = ROOT / "configs" / "default.toml"
SHARED = ROOT.parent / "shared"

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def run_cli(*args: str, cwd: Path | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
    """Run the real CLI in a fresh process, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "themescope", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        timeout=timeout,
        env={**os.environ, "HF_HUB_OFFLINE": "1", "COLUMNS": "200"},
    )


SAMPLE_AUTHORS = [
    "隴上軍迷",
    "哨兵ZH",
    "衝擊時評",
    "蔣曉峰Terry",
    "鬼影147951010",
    "軍事新觀察",
    "銘蘇先生",
    "老遊59",
    "郭于斌",
    "飛狼",
]


def run_default_on(inputs: Path, out: Path, cache: Path) -> subprocess.CompletedProcess:
    """`themescope run configs/default.toml` on other inputs, quietly, with its own cache."""
    return run_cli(
        "run",
        str(DEFAULT_CONFIG),
        "--out",
        str(out),
        "--quiet",
        "--set",
        f'input.paths=["{inputs}"]',
        "--set",
        f'embeddings.cache_dir="{cache}"',
    )


def _perturbations() -> list[float]:
    """Both ways by default; THEMESCOPE_TEST_PERTURBATION=1e-6 (or 0) runs one of them."""
    chosen = os.environ.get("THEMESCOPE_TEST_PERTURBATION")
    return [0.0, MACHINE_NOISE] if chosen is None else [float(chosen)]


@pytest.fixture(scope="session", params=_perturbations(), ids=lambda size: f"noise={size:g}")
def perturbation(request) -> float:
    """Relative size of the noise that theme tests add to their vectors: another CPU's
    rounding, so a test that passes here passes on every machine."""
    return request.param


@pytest.fixture(scope="session")
def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("embedding-cache")


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory, cache_dir) -> tuple[Path, subprocess.CompletedProcess]:
    """`themescope run configs/default.toml` on the sample, once per test session."""
    out = tmp_path_factory.mktemp("runs") / "default"
    proc = run_cli(
        "run",
        str(DEFAULT_CONFIG),
        "--out",
        str(out),
        "--set",
        f'embeddings.cache_dir="{cache_dir}"',
    )
    assert proc.returncode == 0, proc.stderr
    return out, proc


# The sample's ten answers as records of three questions on its subject, dated over three years
# in the forms people export (ISO days, times with offsets, year-first slashes, 年月日, a month),
# and one date that names no day. Real text; the titles and dates are ours.
DATED_QUESTIONS = [
    "美國急於同俄羅斯恢復關係嗎,背後原因是什麼?",
    "Sanctions and containment: where are US-Russia relations heading?",
    "赫爾辛基峰會之後，美俄關係會如何發展？",
]
DATES = [
    "2017-02-14",
    "2017-05-03T09:30:00+08:00",
    "2017/9/21",
    "2017年12月2日",
    "2018-03-08",
    "2018-07-16T18:00:00Z",
    "2018-11",
    "yesterday",
    "2019-04-22",
    "20190918",
]


def dated_question_records(path: Path) -> list[dict]:
    """Write the records as JSONL at ``path``; return them."""
    import json

    from themescope.corpus import read_corpus

    answers = read_corpus([SAMPLE]).questions[0].answers
    records = [
        {
            "question": DATED_QUESTIONS[0 if i < 4 else 1 if i < 7 else 2],
            "author": answer.author,
            "date": DATES[i],
            "text": "\n\n".join(p.text for p in answer.paragraphs),
        }
        for i, answer in enumerate(answers)
    ]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return records


@pytest.fixture(scope="session")
def dated_questions_run(tmp_path_factory, cache_dir) -> Path:
    """`themescope run configs/default.toml` on the dated three-question records, once."""
    folder = tmp_path_factory.mktemp("dated-questions")
    dated_question_records(folder / "records.jsonl")
    proc = run_default_on(folder / "records.jsonl", folder / "run", cache_dir)
    assert proc.returncode == 0, proc.stderr
    return folder / "run"


# --- the two tiers ------------------------------------------------------------------------
# `pytest -m "not slow"` is the tier to run after every change; `pytest` runs everything (CI).
# A test is slow when it starts the CLI in a fresh process, drives a browser, or fits a whole
# run through the public API, itself or through a fixture it uses. It is marked here from what
# it uses, so a new test lands in its tier without anyone remembering to mark it.
_SLOW_FIXTURES = {"sample_run", "dated_questions_run", "browser"}
_SLOW_CALLS = re.compile(
    r"\b(run_cli|run_default_on|sample_run|subprocess\.(run|Popen|check_output|call))\(|"
    r"\bthemescope\.(fit|run)\("
)


def _source(function) -> str:
    try:
        return inspect.getsource(function)
    except (OSError, TypeError):
        return ""


_CALLED = re.compile(r"\b([A-Za-z_]\w*)\(")


def _is_slow(item: pytest.Item) -> bool:
    """Whether the test, a fixture it uses or a helper of its module that either calls
    (three calls deep) starts the CLI, a browser or a whole fit."""
    if item.get_closest_marker("browser") or _SLOW_FIXTURES & set(item.fixturenames):
        return True
    functions = [getattr(item, "function", None)]
    fixtures = getattr(item, "_fixtureinfo", None)
    for name in item.fixturenames:
        for definition in fixtures.name2fixturedefs.get(name, ()) if fixtures else ():
            functions.append(definition.func)
    helpers = vars(item.module) if getattr(item, "module", None) else {}
    seen: set = set()
    for _ in range(3):
        sources = [_source(f) for f in functions if f is not None and f not in seen]
        seen.update(functions)
        if any(_SLOW_CALLS.search(source) for source in sources):
            return True
        functions = [
            helpers[name]
            for source in sources
            for name in _CALLED.findall(source)
            if inspect.isfunction(helpers.get(name)) and helpers[name] not in seen
        ]
    return False


def pytest_collection_modifyitems(config, items) -> None:
    for item in items:
        if _is_slow(item):
            item.add_marker(pytest.mark.slow)
