"""``themescope curate RUN_DIR``: the curation a run applied, and which of its anchors held."""

from __future__ import annotations

from typing import Any

from themescope.config import CurationConfig, CurationStep, ParagraphAnchor
from themescope.errors import InputError


def curation_of(config: dict[str, Any], where: str) -> CurationConfig:
    """The ``[curation]`` of a run's resolved config (manifest.json's ``config``)."""
    from pydantic import ValidationError

    try:
        return CurationConfig.model_validate(config.get("curation") or {})
    except ValidationError as exc:
        raise InputError(f"{where}: config.curation is not a curation this version reads") from exc


def as_toml(curation: CurationConfig) -> str:
    """The curation as a ``[curation]`` section (tomli-w escapes every string)."""
    import tomli_w

    return tomli_w.dumps({"curation": {"steps": [_plain(step) for step in curation.steps]}})


def _plain(step: CurationStep) -> dict[str, Any]:
    def anchor(a: ParagraphAnchor) -> Any:
        return {"id": a.id, "text": a.text} if a.text else a.id

    out: dict[str, Any] = {}
    for key in ("rename", "merge", "move", "split", "to", "label"):
        value = getattr(step, key)
        if value is None:
            continue
        if isinstance(value, ParagraphAnchor):
            value = anchor(value)
        elif isinstance(value, list):
            value = [anchor(a) for a in value]
        out[key] = value
    return out


def describe(curation: CurationConfig, outcomes: list[dict]) -> list[str]:
    """One line per step (what it does, what became of it), one per anchor that did not hold."""
    if not curation.steps:
        return ["no curation: the topics are as clustering found them"]
    lines = [f"{len(curation.steps)} curation step(s) in force:"]
    by_step = {o.get("step"): o for o in outcomes if isinstance(o, dict)}
    for number, step in enumerate(curation.steps, start=1):
        outcome = by_step.get(number, {})
        status = outcome.get("status", "not recorded (a run written before curation outcomes)")
        note = f" ({outcome['note']})" if outcome.get("note") else ""
        lines.append(f"  {number}. {_what(step)}: {status}{note}")
        anchors = outcome.get("anchors") or []
        held = sum(a.get("status") == "held" for a in anchors)
        unchecked = sum(a.get("status") == "unchecked" for a in anchors)
        by_id = f", {unchecked} by id alone (no text to check them against)" if unchecked else ""
        lines.append(f"     anchors: {held} of {len(anchors)} held{by_id}")
        for a in anchors:
            if a.get("status") == "found elsewhere":
                lines.append(f"     {a.get('id')}: found elsewhere, at {a.get('found')} (same text)")
            elif a.get("status") in ("edited", "gone"):
                lines.append(f"     {a.get('id')}: {a.get('status')}")
    return lines


def _what(step: CurationStep) -> str:
    label = f" as {step.label!r}" if step.label else ""
    if step.rename is not None:
        return f"rename the topic of {step.rename.id}{label}"
    if step.merge is not None:
        return f"merge the topics of {', '.join(a.id for a in step.merge)}{label}"
    if step.move is not None:
        where = "the outliers" if step.to == "outliers" else f"the topic of {step.to.id}"
        return f"move {len(step.move)} paragraph(s) to {where}"
    return f"split {len(step.split)} paragraph(s) into a new topic{label}"
