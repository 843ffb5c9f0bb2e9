"""What every bench script shares: timing a command in a fresh process, and saving a result."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIB = ROOT.parent / "shared" / "data" / "sib200"  # SIB-200, beside the clone (not shipped)


@dataclass
class Measured:
    exit: int
    stdout: str
    stderr: str
    wall_s: float
    peak_rss_mib: float


def measure(cmd: list[str], env: dict | None = None) -> Measured:
    """Run ``cmd`` in a fresh process; peak RSS comes from the kernel (wait4).

    Output goes to files, not pipes: a full pipe would block the child while we wait.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=ROOT, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        return Measured(
            exit=os.waitstatus_to_exitcode(status),
            stdout=out.read().decode(),
            stderr=err.read().decode(),
            wall_s=round(wall, 2),
            peak_rss_mib=round(usage.ru_maxrss / 1024, 1),
        )


def themescope_run(out: Path, *settings: str) -> list[str]:
    """The command line of a quiet `themescope run configs/default.toml` into ``out``, with
    each of ``settings`` given as ``--set``."""
    import sys

    cmd = [sys.executable, "-m", "themescope", "run", "configs/default.toml", "--quiet", "--out", str(out)]
    for setting in settings:
        cmd += ["--set", setting]
    return cmd


def save_result(name: str, record: dict) -> Path:
    """bench/results/<name>-<UTC time>.json, with the commit and the machine added."""
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    record = {
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": commit,
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        **record,
    }
    path = ROOT / "bench" / "results" / f"{name}-{datetime.now(UTC):%Y%m%dT%H%M%S}.json"
    path.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"written: {path.relative_to(ROOT)}")
    return path


def sample_paragraphs_json(prefix: str) -> Path:
    """A fresh work folder holding the sample page's paragraph texts as ``paragraphs.json``
    (what bench/plain_bertopic.py reads); returns the folder."""
    import sys

    sys.path.insert(0, str(ROOT))
    from themescope.corpus import read_corpus

    work = Path(tempfile.mkdtemp(prefix=prefix))
    texts = [p.text for p in read_corpus([ROOT / "examples" / "us-russia-relations.txt"]).paragraphs()]
    (work / "paragraphs.json").write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    return work


def label_scores(labels: dict[str, list], topics: list) -> dict:
    """V-measure and adjusted mutual information of ``topics`` against each labelling. V rises
    with the number of topics by chance alone (1,000 sentences in 205 languages: a random split
    into 16 groups has V 0.32 against the language, into 6 groups 0.17), so the chance level
    (V of the same topic sizes shuffled, mean of 10) and AMI, which is 0 by chance, come with it."""
    import numpy as np
    from sklearn.metrics import adjusted_mutual_info_score, v_measure_score

    rng = np.random.default_rng(0)
    out = {}
    for name, values in labels.items():
        suffix = "" if name == "category" else f"_{name}"
        chance = [v_measure_score(values, rng.permutation(topics)) for _ in range(10)]
        out[f"v_measure{suffix}"] = round(float(v_measure_score(values, topics)), 4)
        out[f"v_measure{suffix}_chance"] = round(float(np.mean(chance)), 4)
        out[f"ami{suffix}"] = round(float(adjusted_mutual_info_score(values, topics)), 4)
    return out
