"""Library code leaves the process as it found it; only the CLI applies process-wide settings."""

from __future__ import annotations

import csv
import subprocess
import sys

from themescope.corpus.reader import read_corpus


def test_a_huge_csv_cell_is_read_and_csvs_limit_is_left_as_it_was(tmp_path):
    before = csv.field_size_limit()
    table = tmp_path / "answers.csv"
    long_text = "長" * 300_000
    table.write_text(f"question,author,text\nQ,A,{long_text}\n", encoding="utf-8")
    corpus = read_corpus([table])
    assert sum(len(p.text) for p in corpus.paragraphs()) >= 290_000
    assert csv.field_size_limit() == before


def test_importing_the_library_changes_no_environment_or_import_hook():
    # (Importing BERTopic itself does: torch and transformers set variables and add a finder.)
    code = (
        "import csv, os, sys\n"
        "env, hooks, limit = dict(os.environ), list(sys.meta_path), csv.field_size_limit()\n"
        "import themescope, themescope.pipeline, themescope.corpus.records, themescope.embeddings.st\n"
        "import themescope.topics.imports, themescope.topics.model, themescope.runs\n"
        "assert dict(os.environ) == env and list(sys.meta_path) == hooks\n"
        "assert csv.field_size_limit() == limit\n"
    )
    env = {"PATH": "/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
