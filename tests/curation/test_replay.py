import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from themescope.curation.anchors import AnchorReport, ResolvedStep
from themescope.curation.replay import replay

#                       0  1  2  3  4  5  6   7  8
ASSIGNMENTS = np.array([0, 0, 0, 1, 1, 2, 2, -1, 3])
LABELS = {0: "sanctions", 1: "pivot", 2: "summit", 3: "alliances"}


def step(number, action, rows, to=None, label=None, gone=0):
    anchors = [AnchorReport(f"q1-a1-p{r + 1}", "held") for r in rows] + [
        AnchorReport(f"q9-a9-p{i + 1}", "gone") for i in range(gone)
    ]
    return ResolvedStep(number, action, list(rows), to, label, anchors)


def test_rename_merge_move_split_in_order():
    steps = [
        step(1, "rename", [3], label="Strategy pivot"),
        step(2, "move", [5], to=3),  # a summit paragraph to the pivot topic
        step(3, "merge", [8, 0]),  # alliances into sanctions: the smaller id stays
        step(4, "split", [1, 2], label="New"),
        step(5, "move", [7], to=8),  # the outlier to the topic now holding row 8 (topic 0)
        step(6, "move", [6], to="outliers"),
    ]
    curated = replay(ASSIGNMENTS, LABELS, steps)
    assert curated.assignments.tolist() == [0, 4, 4, 1, 1, 1, -1, 0, 0]
    assert curated.labels == {0: "sanctions", 1: "Strategy pivot", 4: "New"}  # 2 emptied: gone
    assert curated.changed == {0, 1, 4}
    assert curated.relocated.tolist() == [False, True, True, False, False, True, True, True, False]
    assert curated.next_id == 5
    assert [o.status for o in curated.outcomes] == ["applied"] * 6
    assert curated.warnings == []


def test_merge_takes_a_given_label_and_two_splits_take_two_ids():
    curated = replay(
        ASSIGNMENTS,
        LABELS,
        [step(1, "merge", [5, 3, 0], label="Big"), step(2, "split", [0]), step(3, "split", [8], label="B")],
    )
    assert curated.labels == {0: "Big", 4: None, 5: "B"}  # a split without a label: named later
    assert curated.next_id == 6


def test_steps_whose_anchors_are_gone_say_so():
    curated = replay(
        ASSIGNMENTS,
        LABELS,
        [
            step(1, "rename", [], label="x", gone=1),
            step(2, "merge", [0, 3], gone=1),
            step(3, "merge", [0, 1]),  # one topic already
            step(4, "rename", [7], label="y"),  # an outlier
            step(5, "move", [0], to=None, gone=1),
            step(6, "split", [], label="z", gone=2),
        ],
    )
    assert [o.status for o in curated.outcomes] == [
        "not applied",
        "partly applied",
        "nothing to do",
        "not applied",
        "not applied",
        "not applied",
    ]
    assert curated.warnings[0] == "curation.steps.0 (rename): not applied: gone from this run: q9-a9-p1"
    assert curated.warnings[1] == "curation.steps.1 (merge): partly applied: gone from this run: q9-a9-p1"
    assert len(curated.warnings) == 5  # "nothing to do" is no warning
    assert curated.labels == {0: "sanctions", 2: "summit", 3: "alliances"}  # 1 merged into 0


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["rename", "merge", "move", "split"]),
            st.lists(st.integers(0, 8), min_size=1, max_size=4, unique=True),
            st.one_of(st.integers(0, 8), st.just("outliers")),
        ),
        max_size=8,
    )
)
def test_any_steps_leave_a_consistent_partition(raw_steps):
    steps = [
        step(i + 1, action, rows[:1] if action == "rename" else rows, to if action == "move" else None, "L")
        for i, (action, rows, to) in enumerate(raw_steps)
    ]
    curated = replay(ASSIGNMENTS, LABELS, steps)
    present = set(curated.assignments.tolist()) - {-1}
    assert set(curated.labels) == present  # every topic that holds paragraphs has a label entry
    assert curated.changed <= present
    assert curated.next_id == 4 + sum(a == "split" for a, _, _ in raw_steps)
    assert curated.next_id > max(present | {-1})
    assert ASSIGNMENTS.tolist() == [0, 0, 0, 1, 1, 2, 2, -1, 3]  # the input is left alone


def test_a_move_into_the_topic_it_is_in_does_nothing_and_a_split_names_its_topic():
    curated = replay(ASSIGNMENTS, LABELS, [step(1, "move", [0, 1], to=2), step(2, "split", [5], label="x")])
    assert [o.status for o in curated.outcomes] == ["nothing to do", "applied"]
    assert curated.outcomes[1].topic == 4 and curated.outcomes[0].topic is None


def test_anchors_by_id_alone_apply_and_are_named_in_one_warning():
    unchecked = ResolvedStep(2, "move", [5], 3, None, [AnchorReport("q1-a1-p6", "unchecked")])
    curated = replay(ASSIGNMENTS, LABELS, [step(1, "rename", [3], label="Strategy pivot"), unchecked])
    assert [o.status for o in curated.outcomes] == ["applied", "applied"]
    assert curated.assignments[5] == 1
    (warning,) = curated.warnings
    assert "paragraph id alone" in warning and "curation.steps.1 (move): q1-a1-p6" in warning
    assert "steps.0" not in warning


def test_a_named_merge_of_paragraphs_already_in_one_topic_names_that_topic():
    """A re-run on a grown or shrunk corpus may find the merged paragraphs together already."""
    curated = replay(ASSIGNMENTS, LABELS, [step(1, "merge", [0, 1], label="Sanctions and alliances")])
    assert [o.status for o in curated.outcomes] == ["applied"]
    assert curated.labels[0] == "Sanctions and alliances" and curated.changed == set()
    assert curated.assignments.tolist() == ASSIGNMENTS.tolist()
