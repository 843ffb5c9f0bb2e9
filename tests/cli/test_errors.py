"""Bad input and bad configs: one line naming the problem, exit 2, never a traceback."""

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


def test_help_is_fast_and_lists_commands():
    proc = run_cli("--help")
    assert proc.returncode == 0
    for command in ("run", "inspect", "validate", "report"):
        assert command in proc.stdout


def test_help_does_not_import_heavy_libraries():
    import subprocess
    import sys

    code = (
        "import sys, themescope.cli\n"
        "heavy = [m for m in ('torch', 'bertopic', 'umap', 'plotly', 'sklearn') if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_model_that_cannot_load_offline():
    proc = run_cli("run", str(DEFAULT_CONFIG), "--set", 'embeddings.model="no-such-org/no-such-model"')
    _one_line_error(proc, "embeddings.model", "no-such-org/no-such-model", "offline")


def test_wrong_type_in_config(tmp_path):
    bad = tmp_path / "types.toml"
    bad.write_text('[topics]\nmin_topic_size = "five"\n', encoding="utf-8")
    _one_line_error(run_cli("run", str(bad)), "topics.min_topic_size", "'five'")
