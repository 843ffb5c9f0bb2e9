"""Curation from the command line: --curation FILE, the [curation] section, `themescope curate`."""

import csv
import json
import tomllib

import pytest

from ..conftest import DEFAULT_CONFIG, run_cli
from .test_errors import _one_line_error

PIVOT = {"id": "q1-a2-p3", "text": "早在2012年,奧巴馬第二個任期剛剛開始之時就提出"}
SANCTIONS = "q1-a6-p3"  # 近年來,美國在經濟上制裁俄羅斯…
ALLIANCES = "q1-a5-p3"  # …與盟友之間的軍事關係…


def _write(path, text: str):
    path.write_text(text, encoding="utf-8")
    return path


def run_sample(out, cache_dir, *extra):
    return run_cli(
        "run",
        str(DEFAULT_CONFIG),
        "--quiet",
        "--out",
        str(out),
        "--set",
        f'embeddings.cache_dir="{cache_dir}"',
        *extra,
    )


def _topic_of(run_dir) -> dict[str, tuple[int, str]]:
    with open(run_dir / "paragraphs.csv", encoding="utf-8-sig", newline="") as fh:
        return {r["paragraph_id"]: (int(r["topic"]), r["topic_label"]) for r in csv.DictReader(fh)}


# The merge first: whatever topics a run finds, the pivot's topic is then called "Strategy pivot"
# (if the merge took it too, the later rename wins).
CURATION = f"""
[curation]
[[curation.steps]]
merge = ["{SANCTIONS}", "{ALLIANCES}"]
label = "Sanctions and alliances"

[[curation.steps]]
rename = {{ id = "{PIVOT["id"]}", text = "{PIVOT["text"]}" }}
label = "Strategy pivot"
"""


def test_a_curation_survives_a_change_that_renumbers_the_topics(sample_run, cache_dir, tmp_path):
    base, _ = sample_run
    curation = _write(tmp_path / "curation.toml", CURATION)
    sizes = {}
    for size in (3, 7):  # the sample's own is 4 (test_rerun needs 6 uncached)
        out = tmp_path / f"min{size}"
        proc = run_sample(
            out, cache_dir, "--curation", str(curation), "--set", f"topics.min_topic_size={size}"
        )
        assert proc.returncode == 0, proc.stderr
        topics = _topic_of(out)
        assert topics[PIVOT["id"]][1] == "Strategy pivot"
        assert topics[SANCTIONS][0] == topics[ALLIANCES][0] != -1
        together = topics[SANCTIONS][0] == topics[PIVOT["id"]][0]
        assert topics[SANCTIONS][1] == ("Strategy pivot" if together else "Sanctions and alliances")
        sizes[size] = sorted(
            json.loads((out / "topics.json").read_text("utf-8"))["topics"], key=lambda t: t["id"]
        )
    base_topics = json.loads((base / "topics.json").read_text("utf-8"))["topics"]
    # The premise: these runs cut the corpus into other topics, under other ids.
    for size, topics in sizes.items():
        assert [(t["id"], t["size"]) for t in topics] != [(t["id"], t["size"]) for t in base_topics], size


def test_anchors_that_are_gone_warn_and_the_run_goes_on(cache_dir, tmp_path):
    curation = _write(
        tmp_path / "curation.toml",
        CURATION
        + """
[[curation.steps]]
rename = { id = "q1-a99-p1", text = "這段文字已經不在了" }
label = "Ghost"

[[curation.steps]]
move = ["q1-a1-p1", "q5-a1-p1"]
to = "outliers"
""",
    )
    out = tmp_path / "run"
    proc = run_sample(out, cache_dir, "--curation", str(curation))
    assert proc.returncode == 0, proc.stderr
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert [
        s["status"] for s in json.loads((out / "topics.json").read_text("utf-8"))["curation"]["steps"]
    ] == [
        "applied",
        "applied",
        "not applied",
        "partly applied",
    ]
    assert "curation.steps.2 (rename): not applied: gone from this run: q1-a99-p1" in manifest["warnings"]
    assert "curation.steps.3 (move): partly applied: gone from this run: q5-a1-p1" in manifest["warnings"]
    assert _topic_of(out)["q1-a1-p1"][0] == -1
    assert "gone from this run: q1-a99-p1" in (out / "report.html").read_text("utf-8")
    shown = run_cli("curate", str(out))
    assert shown.returncode == 0, shown.stderr
    assert "3. rename the topic of q1-a99-p1 as 'Ghost': not applied" in shown.stdout, shown.stdout
    assert "q1-a99-p1: gone" in shown.stdout and "anchors: 0 of 2 held, 1 by id alone" in shown.stdout
    saved = tomllib.loads(run_cli("curate", str(out), "--toml").stdout)
    assert (
        saved["curation"]["steps"][1]["rename"] == PIVOT and saved["curation"]["steps"][3]["to"] == "outliers"
    )


def test_only_the_curation_changed_reruns_nothing_before_it(sample_run, cache_dir, tmp_path):
    base, _ = sample_run
    curation = _write(tmp_path / "curation.toml", CURATION)
    out = tmp_path / "run"
    proc = run_sample(out, cache_dir, "--curation", str(curation))
    assert proc.returncode == 0, proc.stderr
    stages = json.loads((out / "manifest.json").read_text("utf-8"))["stages"]
    after = ("curate", "hierarchy", "report")  # the broad themes follow the curated topics
    assert {s: v["cache"] for s, v in stages.items() if s not in after} == dict.fromkeys(
        ["read", "embed", "tokens", "reduce", "words", "cluster", "represent", "persistence"], "hit"
    )
    assert stages["curate"]["cache"] == stages["hierarchy"]["cache"] == "miss"
    # (what it saves in seconds: bench/rerun.py, "curation-only change")
    # Topics the curation did not touch keep their keywords and labels exactly.
    before = {t["id"]: t for t in json.loads((base / "topics.json").read_text("utf-8"))["topics"]}
    after = {t["id"]: t for t in json.loads((out / "topics.json").read_text("utf-8"))["topics"]}
    touched = {_topic_of(base)[p][0] for p in (PIVOT["id"], SANCTIONS, ALLIANCES)}
    for topic_id, topic in before.items():
        if topic_id not in touched:
            unchanged = ("label", "size", "keywords", "representative", "guided_theme")
            assert {k: after[topic_id][k] for k in unchanged} == {k: topic[k] for k in unchanged}


@pytest.mark.parametrize(
    ("text", "needles"),
    [
        ("[curation\n", ["not valid TOML"]),
        ("[curation]\nstep = []\n", ["curation.step", "did you mean steps"]),
        ("[[curation.steps]]\nrename = 'q1-a1-p1'\n", ["curation.steps.0", "rename needs a label"]),
        ("[[curation.steps]]\nrename = 'topic 3'\nlabel = 'x'\n", ["curation.steps.0.rename.id", "q1-a3-p6"]),
        ("[[curation.steps]]\nmerge = ['q1-a1-p1']\n", ["curation.steps.0.merge", "at least 2"]),
        ("[[curation.steps]]\nmove = ['q1-a1-p1']\nto = 'nowhere'\n", ["curation.steps.0.to", "outliers"]),
        ("[[curation.steps]]\nsplit = ['q1-a1-p1']\nmerge = ['q1-a1-p1', 'q1-a2-p1']\n", ["exactly one of"]),
        ("[[curation.steps]]\nrename = 'q1-a1-p1'\nlabel = ''\n", ["curation.steps.0.label"]),
        ("[topics]\nseed = 1\n", ["holds only [curation]", "topics"]),
    ],
)
def test_a_malformed_curation_is_one_line_naming_the_key(tmp_path, text, needles):
    curation = _write(tmp_path / "bad-curation.toml", text)
    _one_line_error(
        run_cli("validate", str(DEFAULT_CONFIG), "--curation", str(curation)), "bad-curation.toml", *needles
    )
    _one_line_error(
        run_cli("run", str(DEFAULT_CONFIG), "--curation", str(curation)), "bad-curation.toml", *needles
    )


def test_a_malformed_curation_in_the_config_names_the_key(tmp_path):
    config = _write(tmp_path / "c.toml", "[[curation.steps]]\nsplit = []\n")
    _one_line_error(run_cli("validate", str(config)), "c.toml", "curation.steps.0.split")


def test_the_snippet_pasted_into_the_config_gives_the_same_topics(cache_dir, tmp_path):
    from ..conftest import SAMPLE

    with_file = tmp_path / "with-file"
    assert (
        run_sample(with_file, cache_dir, "--curation", str(_write(tmp_path / "c.toml", CURATION))).returncode
        == 0
    )
    config = _write(tmp_path / "pasted.toml", DEFAULT_CONFIG.read_text("utf-8") + "\n" + CURATION)
    pasted = tmp_path / "pasted"
    proc = run_cli(
        "run", str(config), "--quiet", "--out", str(pasted),
        "--set", f'input.paths=["{SAMPLE}"]', "--set", f'embeddings.cache_dir="{cache_dir}"',
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert _topic_of(pasted) == _topic_of(with_file)
    assert run_cli("validate", str(config)).returncode == 0


@pytest.mark.parametrize(
    ("step", "needles"),
    [
        (
            "rename = 'q١-a1-p1'\nlabel = 'x'",
            ["curation.steps.0.rename.id", "q1-a3-p6"],
        ),  # Arabic-Indic digit
        ('move = ["q1-a1-p1"]\nto = "q1-a1-p1\\n"', ["curation.steps.0.to"]),
        ("rename = 'q1-a1-p1'\nlabel = \"nul\\u0000 esc\\u001b[31m\"", ["curation.steps.0.label", "control"]),
        (f"rename = 'q1-a1-p1'\nlabel = '{'x' * 201}'", ["curation.steps.0.label", "at most 200 characters"]),
    ],
)
def test_ids_and_labels_are_held_to_their_forms(tmp_path, step, needles):
    curation = _write(tmp_path / "c.toml", f"[[curation.steps]]\n{step}\n")
    _one_line_error(run_cli("validate", str(DEFAULT_CONFIG), "--curation", str(curation)), "c.toml", *needles)


def test_a_folder_or_a_fifo_as_the_curation_file(tmp_path):
    import os

    _one_line_error(
        run_cli("validate", str(DEFAULT_CONFIG), "--curation", str(tmp_path)), "not a regular file"
    )
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    _one_line_error(run_cli("validate", str(DEFAULT_CONFIG), "--curation", str(fifo)), "not a regular file")
