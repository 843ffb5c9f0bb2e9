"""Bad input and bad configs: one line naming the problem, exit 2, never a traceback."""

import os

import pytest

from ..conftest import DEFAULT_CONFIG, run_cli


def _one_line_error(proc, *needles):
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    for needle in needles:
        assert needle in lines[0]


def test_missing_config(tmp_path):
    _one_line_error(run_cli("run", str(tmp_path / "nope.toml")), "nope.toml", "not found")


def test_config_not_toml(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[topics\nseed = 1\n", encoding="utf-8")
    _one_line_error(run_cli("run", str(bad)), "bad.toml", "not valid TOML", "line 1")


def test_unknown_key_in_config(tmp_path):
    bad = tmp_path / "typo.toml"
    bad.write_text("[topics]\nmin_topic_sise = 5\n", encoding="utf-8")
    _one_line_error(run_cli("validate", str(bad)), "topics.min_topic_sise", "did you mean min_topic_size")


def test_missing_input_file(tmp_path):
    proc = run_cli("run", str(DEFAULT_CONFIG), "--set", f'input.paths=["{tmp_path}/gone.txt"]')
    _one_line_error(proc, "gone.txt", "no such file")


@pytest.mark.parametrize("content", [b"", b"\x00\xff\x00\xfe" * 100])
def test_unusable_input_file(tmp_path, content):
    page = tmp_path / "page.txt"
    page.write_bytes(content)
    proc = run_cli("inspect", str(page))
    _one_line_error(proc, "page.txt")


# What `--help` must not load: each takes a second or more to import (torch alone several).
HEAVY = {"torch", "bertopic", "umap", "hdbscan", "numba", "sklearn", "scipy", "pandas", "plotly"}
HEAVY |= {"sentence_transformers", "transformers", "jieba", "opencc", "numpy", "pyarrow"}


def test_help_lists_commands_without_importing_heavy_libraries():
    """`themescope --help` is quick because it imports none of the libraries a run needs: the
    real CLI in a fresh process, every import it makes listed by Python (-X importtime)."""
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "themescope", "--help"],
        capture_output=True,
        text=True,
        cwd=DEFAULT_CONFIG.parents[1],
        timeout=120,
        env={**os.environ, "HF_HUB_OFFLINE": "1", "COLUMNS": "200"},
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    for command in ("run", "inspect", "validate", "report"):
        assert command in proc.stdout
    imported = {
        line.rsplit("|", 1)[1].strip().split(".")[0]
        for line in proc.stderr.splitlines()
        if line.startswith("import time:") and line.count("|") == 2
    }
    assert "themescope" in imported and "typer" in imported  # the list is the real one
    assert imported & HEAVY == set()


def test_importing_the_cli_imports_no_heavy_library():
    import subprocess
    import sys

    heavy = sorted(HEAVY)
    code = f"import sys, themescope.cli\nprint(','.join(m for m in {heavy!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_model_that_cannot_load_offline():
    proc = run_cli("run", str(DEFAULT_CONFIG), "--set", 'embeddings.model="no-such-org/no-such-model"')
    _one_line_error(proc, "embeddings.model", "no-such-org/no-such-model", "offline")


def test_wrong_type_in_config(tmp_path):
    bad = tmp_path / "types.toml"
    bad.write_text('[topics]\nmin_topic_size = "five"\n', encoding="utf-8")
    _one_line_error(run_cli("run", str(bad)), "topics.min_topic_size", "'five'")


@pytest.mark.parametrize(
    ("setting", "needles"),
    [
        ("topics.seed=-1", ["topics.seed", "greater than or equal to 0"]),
        ("topics.seed=99999999999", ["topics.seed", "4294967295"]),
        ("topics.seed=true", ["topics.seed", "integer"]),
        ('paragraphs.drop_captions="yes"', ["paragraphs.drop_captions", "boolean"]),
        ('embeddings.model=""', ["embeddings.model", "non-empty"]),
        ('output.dir=" "', ["output.dir", "non-empty"]),
    ],
)
def test_values_the_run_cannot_use_fail_validation(setting, needles):
    _one_line_error(run_cli("validate", str(DEFAULT_CONFIG), "--set", setting), *needles)


def test_repeated_theme_names_are_refused(tmp_path):
    config = tmp_path / "themes.toml"
    theme = '[[topics.guided_themes]]\nname = "Sanctions"\n'
    config.write_text(theme * 2, "utf-8")
    _one_line_error(run_cli("validate", str(config)), "topics.guided_themes", "repeated: Sanctions")


def _run_into(out: str, tmp_path, inputs: str | None = None):
    args = ["run", str(DEFAULT_CONFIG), "--out", out, "--quiet"]
    if inputs:
        args += ["--set", f'input.paths=["{inputs}"]']
    return run_cli(*args, cwd=tmp_path)


def test_output_folder_that_is_not_a_run_is_never_replaced(tmp_path):
    """A run replaces its whole output folder: a folder of the user's must stop it first."""
    (tmp_path / "thesis").mkdir()
    (tmp_path / "thesis" / "chapter1.txt").write_text("my only copy", "utf-8")
    _one_line_error(_run_into("thesis", tmp_path), "thesis", "not a themescope run")
    assert (tmp_path / "thesis" / "chapter1.txt").read_text("utf-8") == "my only copy"


@pytest.mark.parametrize(
    ("out", "needle"),
    [("afile", "is a file"), ("afile/run", "is a file"), (".", "folder you run from")],
)
def test_output_folder_that_cannot_be_a_run(tmp_path, out, needle):
    (tmp_path / "afile").write_text("keep", "utf-8")
    _one_line_error(_run_into(out, tmp_path), needle)
    assert (tmp_path / "afile").read_text("utf-8") == "keep"


def test_output_folder_holding_the_input_is_refused(tmp_path):
    (tmp_path / "data").mkdir()
    page = tmp_path / "data" / "page.txt"
    page.write_text("Title\n\nAlice\n\nSome words about sanctions and alliances.\n", "utf-8")
    (tmp_path / "data" / "manifest.json").write_text('{"themescope_version": "0.1.0"}', "utf-8")
    _one_line_error(_run_into("data", tmp_path, str(page)), "holds", "page.txt")
    assert page.exists()


def test_unusable_cache_folder_and_html_target_stop_with_one_line(tmp_path):
    (tmp_path / "afile").write_text("x", "utf-8")
    proc = run_cli(
        "run",
        str(DEFAULT_CONFIG),
        "--out",
        str(tmp_path / "run"),
        "--set",
        f'embeddings.cache_dir="{tmp_path}/afile"',
    )
    _one_line_error(proc, "embeddings.cache_dir", "afile")
    proc = run_cli(
        "compare", str(tmp_path), str(tmp_path), "--html", str(tmp_path / "no" / "such" / "x.html")
    )
    _one_line_error(proc, "--html", "no folder")


@pytest.mark.parametrize(("name", "content"), [("topics.json", "{bad"), ("manifest.json", "[]")])
def test_report_on_a_damaged_run_names_the_file(tmp_path, name, content):
    (tmp_path / "paragraphs.csv").write_text("paragraph_id\n", "utf-8")
    (tmp_path / "topics.json").write_text("{}", "utf-8")
    (tmp_path / "manifest.json").write_text('{"themescope_version": "0.1"}', "utf-8")
    (tmp_path / name).write_text(content, "utf-8")
    _one_line_error(run_cli("report", str(tmp_path)), name)
