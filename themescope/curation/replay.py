"""Apply resolved curation steps to a run's topic assignments, in order.

The report's edits run the same rules in the page, so a curation saved there and replayed
here gives the topics the reader saw: a merge keeps the smallest topic id and that topic's
label unless it names one; a split takes the next unused id; a topic left without
paragraphs is gone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from themescope.curation.anchors import ResolvedStep


@dataclass
class StepOutcome:
    step: int
    action: str
    status: str  # "applied", "partly applied", "not applied", "nothing to do"
    note: str = ""
    anchors: list[dict] = field(default_factory=list)  # per anchor: id, status, found
    topic: int | None = None  # the topic a split made (the report pins the name it showed)


@dataclass
class Curated:
    assignments: np.ndarray
    labels: dict[int, str | None]  # per topic; None: a split topic to be named from its keywords
    changed: set[int]  # topics whose paragraphs changed: their keywords are computed again
    relocated: np.ndarray  # rows moved or split off by hand
    next_id: int  # the id the next split takes (the report continues from it)
    outcomes: list[StepOutcome]

    @property
    def warnings(self) -> list[str]:
        problems = [
            f"curation.steps.{o.step - 1} ({o.action}): {o.status}: {o.note}"
            for o in self.outcomes
            if o.status in ("partly applied", "not applied")
        ]
        unchecked = [
            f"curation.steps.{o.step - 1} ({o.action}): {', '.join(ids)}"
            for o in self.outcomes
            if (ids := [a["id"] for a in o.anchors if a["status"] == "unchecked"])
        ]
        if unchecked:
            problems.append(
                "curation: anchored by paragraph id alone, not checked against any text (in another "
                "or a changed corpus an id can name another paragraph; give each anchor its "
                f"text, as the report saves it): {'; '.join(unchecked)}"
            )
        return problems


def replay(assignments: np.ndarray, labels: dict[int, str], steps: list[ResolvedStep]) -> Curated:
    """``assignments`` (topic per row, -1 outlier) and ``labels`` (per topic id) after ``steps``."""
    current = np.array(assignments, dtype=int, copy=True)
    names: dict[int, str | None] = dict(labels)
    changed: set[int] = set()
    relocated = np.zeros(len(current), dtype=bool)
    next_id = max([*names, *current.tolist(), -1]) + 1
    outcomes = []
    for step in steps:
        gone = [a for a in step.anchors if a.status == "gone"]
        outcome = StepOutcome(step.number, step.action, "applied", anchors=[vars(a) for a in step.anchors])
        if step.action == "rename":
            _rename(step, current, names, outcome)
        elif step.action == "merge":
            _merge(step, current, names, changed, outcome)
        else:
            if step.action == "split" and step.rows:
                destination: int | None = next_id
            else:
                destination = _destination(step, current, outcome)
            if destination is not None and step.rows and (current[step.rows] == destination).all():
                outcome.status, outcome.note = "nothing to do", "its paragraphs are in that topic already"
            elif destination is not None and step.rows:
                rows = np.asarray(step.rows)
                changed.update(int(t) for t in current[rows] if t != -1)
                current[rows] = destination
                relocated[rows] = True
                if destination != -1:
                    changed.add(destination)
                if step.action == "split":
                    names[destination] = step.label
                    outcome.topic = destination
                    next_id += 1
            elif outcome.status == "applied":
                outcome.status, outcome.note = "not applied", "none of its paragraphs is in this run"
        if gone:
            missing = "gone from this run: " + ", ".join(a.id for a in gone)
            if outcome.status == "applied":
                outcome.status, outcome.note = "partly applied", missing
            elif missing not in outcome.note:
                outcome.note += f" ({missing})"
        outcomes.append(outcome)
    present = set(current.tolist()) - {-1}
    return Curated(
        assignments=current,
        labels={t: names.get(t) for t in sorted(present)},
        changed=changed & present,
        relocated=relocated,
        next_id=next_id,
        outcomes=outcomes,
    )


def _rename(step: ResolvedStep, current: np.ndarray, names: dict, outcome: StepOutcome) -> None:
    if not step.rows:
        outcome.status, outcome.note = "not applied", f"gone from this run: {step.anchors[0].id}"
        return
    topic = int(current[step.rows[0]])
    if topic == -1:
        outcome.status, outcome.note = "not applied", f"its paragraph {step.anchors[0].id} is an outlier"
        return
    names[topic] = step.label


def _merge(step: ResolvedStep, current: np.ndarray, names: dict, changed: set, outcome: StepOutcome) -> None:
    topics = sorted({int(current[r]) for r in step.rows} - {-1})
    if len(topics) == 1 and step.label and len(step.rows) == len(step.anchors):
        # Already together (a re-run on a grown or shrunk corpus may find them so): what the
        # reader asked for still holds once the topic carries the merge's name.
        names[topics[0]] = step.label
        outcome.note = "its paragraphs are in one topic already; it takes the merge's name"
        return
    if len(topics) < 2:
        outcome.status = "nothing to do" if len(step.rows) == len(step.anchors) else "not applied"
        outliers = sum(int(current[r]) == -1 for r in step.rows)
        outcome.note = "its paragraphs are in one topic" if topics else "its paragraphs are outliers"
        if topics and outliers:
            outcome.note += f" and the outliers ({outliers} of its paragraphs)"
        return
    keep = topics[0]
    current[np.isin(current, topics)] = keep
    names[keep] = step.label or names.get(keep)
    for other in topics[1:]:
        names.pop(other, None)
    changed.add(keep)


def _destination(step: ResolvedStep, current: np.ndarray, outcome: StepOutcome) -> int | None:
    if step.to == "outliers":
        return -1
    if step.to is None:
        outcome.status, outcome.note = "not applied", "the paragraph naming its destination is gone"
        return None
    topic = int(current[step.to])
    if topic == -1:
        outcome.status, outcome.note = "not applied", "the paragraph naming its destination is an outlier"
        return None
    return topic
