"""Red-team: what the CLI prints. Text from scraped pages can hold terminal escape
sequences; long strings must not stall the summary; a stop says truly what it left behind.

Every test runs the real CLI in a fresh process on real files.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.reliability.helpers import DEFAULT_CONFIG, ROOT, SAMPLE, quick_run_args, run_cli, sample_run

# What a terminal acts on: C0 controls but tab and newline, DEL, C1, bidi overrides/isolates.
ACTIVE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
HOSTILE = {
    "clear": "\x1b[2J\x1b[H",
    "title": "\x1b]0;pwned\x07",
    "link": "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\",
    "c1": "\x9b31m",
    "bidi": "\u202etxt.exe",
}


def _hostile_records(path: Path) -> Path:
    """Answers whose every field carries escape sequences; the texts are real sentences."""
    lines = []
    texts = SAMPLE.read_text(encoding="utf-8").splitlines()[5:40]
    for n, payload in enumerate(HOSTILE.values()):
        record = {
            "question": f"美俄關係{payload}",
            "author": f"作者{payload}{n}",
            "text": f"{texts[n * 3]}{payload}\n{texts[n * 3 + 1]}",
            "lang": "zh",
        }
        lines.append(json.dumps(record, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_inspect_prints_no_escape_sequence(tmp_path):
    """Item 11: `inspect` wrote records' control characters to the terminal: ESC[2J cleared
    the screen, OSC sequences set the window title or planted a link."""
    proc = run_cli("inspect", str(_hostile_records(tmp_path / "hostile.jsonl")))
    assert proc.returncode == 0, proc.stderr
    assert "作者" in proc.stdout
    assert not ACTIVE.search(proc.stdout), ACTIVE.findall(proc.stdout)
    assert not ACTIVE.search(proc.stderr)
    assert "\\x1b" in proc.stdout  # shown, not dropped


def test_inspect_json_keeps_the_text_but_escapes_it(tmp_path):
    """Item 11: `inspect --json` is JSON whose strings escape every control character, and
    it reads back to the very same text."""
    proc = run_cli("inspect", "--json", str(_hostile_records(tmp_path / "hostile.jsonl")))
    assert proc.returncode == 0, proc.stderr
    assert not ACTIVE.search(proc.stdout)
    corpus = json.loads(proc.stdout)
    authors = [a["author"] for q in corpus["questions"] for a in q["answers"]]
    assert authors[0] == f"作者{HOSTILE['clear']}0"
    assert authors[-1] == f"作者{HOSTILE['bidi']}4"


def test_an_error_naming_a_hostile_file_name_is_escaped(tmp_path):
    """Item 11: an error line quotes the user's path; the path's controls are escaped."""
    proc = run_cli("inspect", str(tmp_path / "missing\x1b]0;pwned\x07.jsonl"))
    assert proc.returncode == 2
    assert not ACTIVE.search(proc.stderr) and "\\x1b" in proc.stderr


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
def test_printable_leaves_nothing_a_terminal_acts_on(text):
    """Item 11, for any text: nothing active is left, and plain text is left as it is."""
    from themescope.terminal import printable

    shown = printable(text, limit=None)
    assert not ACTIVE.search(shown) and "\n" not in shown
    if not ACTIVE.search(text) and not {"\n", "\t"} & set(text):
        assert shown == text


@pytest.fixture(scope="module")
def warm(tmp_path_factory) -> Path:
    return sample_run(tmp_path_factory.mktemp("terminal"), name="run")


def _summary_args(warm: Path, title: str) -> list[str]:
    """`run` with the summary on; the title goes through a config file (a long one does not
    fit on a command line)."""
    config = warm / f"title-{len(title)}.toml"
    text = DEFAULT_CONFIG.read_text(encoding="utf-8")
    config.write_text(text.replace('title = "auto"', f"title = {json.dumps(title)}"), encoding="utf-8")
    args = quick_run_args(SAMPLE, warm / "run", warm / "cache")
    args[1] = str(config)
    args.remove("--quiet")
    return args


def test_a_long_title_does_not_stall_the_summary(warm):
    """Item 9: a 100,000-character title without spaces made the terminal summary take
    56 s (rich wraps in quadratic time); it is now cut to a screenful before rich sees it,
    which is what is checked (no clock: the run's other stages take most of the time)."""
    proc = run_cli(*_summary_args(warm, "长" * 100_000), timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "长" * 50 in proc.stdout and "长" * 1000 not in proc.stdout


def test_the_run_summary_prints_no_escape_sequence(warm):
    """Item 11: the summary of a run whose title holds escape sequences escapes them."""
    proc = run_cli(*_summary_args(warm, "US–Russia " + "".join(HOSTILE.values())))
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "US–Russia" in proc.stdout
    assert not ACTIVE.search(proc.stdout + proc.stderr)


def test_a_stop_after_the_run_is_written_says_so(warm):
    """Item 9: Ctrl-C during the summary, after the run was written, used to print "the
    previous run directory is unchanged", which was false. A real SIGINT, sent by the
    process to itself as the summary starts."""
    script = (
        "import os, signal, sys\n"
        "import themescope.summary as summary\n"
        "summary.print_summary = lambda run: os.kill(os.getpid(), signal.SIGINT)\n"
        "from themescope.cli import main\n"
        "sys.argv = ['themescope', *sys.argv[1:]]\n"
        "main()\n"
    )
    args = _summary_args(warm, "stopped at the summary")
    proc = subprocess.run(
        [sys.executable, "-P", "-c", script, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
        env={**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert proc.returncode == 130, proc.stderr[-2000:]
    assert "unchanged" not in proc.stderr
    assert f"already written to {warm / 'run'}" in proc.stderr
    manifest = json.loads((warm / "run" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["title"] == "stopped at the summary"
