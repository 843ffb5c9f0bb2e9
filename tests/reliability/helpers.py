"""What the red-team tests share. They use no fixture from tests/conftest.py, so that each
one also runs against an older checkout (``PYTHONPATH=OLD pytest --noconftest``) to show
that it fails there."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "us-russia-relations.txt"
DEFAULT_CONFIG = ROOT / "configs" / "default.toml"


def run_cli(
    *args: str, cwd: Path | None = None, timeout: int = 600, env: dict | None = None, **popen
) -> subprocess.CompletedProcess:
    """The real CLI in a fresh process, as a user would run it."""
    return subprocess.run(
        # -P: the working folder is not put on sys.path, so PYTHONPATH decides which
        # themescope runs (an older checkout's, to show a test fails there).
        [sys.executable, "-P", "-m", "themescope", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        timeout=timeout,
        **popen,
        # No .pyc writing: a test that limits file sizes would leave truncated ones behind.
        env={
            **os.environ,
            "HF_HUB_OFFLINE": "1",
            "COLUMNS": "200",
            "PYTHONDONTWRITEBYTECODE": "1",
            **(env or {}),
        },
    )


def one_line_error(proc: subprocess.CompletedProcess) -> str:
    """Exit 2 with one ``error:`` line and no traceback; the line is returned."""
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-2000:])
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr[-2000:]
    return lines[0]


def quick_run_args(inputs: Path | str, out: Path, cache: Path, *extra: str) -> list[str]:
    """`run configs/default.toml` on other inputs, quietly, with its own cache."""
    return [
        "run",
        str(DEFAULT_CONFIG),
        "--out",
        str(out),
        "--quiet",
        "--set",
        f'input.paths=["{inputs}"]',
        "--set",
        f'embeddings.cache_dir="{cache}"',
        *extra,
    ]


def sample_run(root: Path, name: str = "first") -> Path:
    """``root``: one real run of the sample in ``root/name``, its cache warm in ``root/cache``
    for the re-runs a test makes."""
    proc = run_cli(*quick_run_args(SAMPLE, root / name, root / "cache"))
    assert proc.returncode == 0, proc.stderr[-2000:]
    return root


def copy_run(workspace: Path, target: Path) -> Path:
    """A copy of ``workspace``'s run (links copied as links) to break or to re-run into."""
    import shutil

    shutil.copytree(workspace / "first", target, symlinks=True)
    return target
