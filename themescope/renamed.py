"""Old names that still work: config keys, run-folder fields and figures renamed so that
each thing has one name ("guided themes" are the themes a config names, "broad themes" the
level above the topics). Each old name is read as its new one, with a RenamedWarning that
names both; a config giving both names of one key is a ConfigError.
"""

from __future__ import annotations

import warnings
from typing import Any

from themescope.errors import ConfigError, RenamedWarning

# Config keys, by section: old name -> new name.
CONFIG_KEYS = {"topics": {"themes": "guided_themes"}}

# Run-folder fields: the path of the old field in its file -> the new field's name there.
# A topic's own field (topics.json's topics[].theme) is in TOPIC_FIELDS.
FOLDER_FIELDS = {
    "topics.json": {("themes",): "guided_themes"},
    "manifest.json": {
        ("topics", "themes"): "guided_themes",
        ("config", "topics", "themes"): "guided_themes",
    },
}
TOPIC_FIELDS = {"theme": "guided_theme"}

# The report's figures: old name -> new name (Run.figure).
FIGURES = {"themes": "broad_themes"}


def warn(message: str, stacklevel: int = 3) -> None:
    warnings.warn(message, RenamedWarning, stacklevel=stacklevel)


def config_keys(raw: dict[str, Any], source: str | None) -> dict[str, Any]:
    """``raw`` (a config as read) with each old key under its new name, in its place; a
    warning per old key, naming the file."""
    prefix = f"{source}: " if source else ""
    for section, renamed in CONFIG_KEYS.items():
        table = raw.get(section)
        if not isinstance(table, dict) or not set(renamed) & set(table):
            continue
        for old, new in renamed.items():
            if old in table and new in table:
                raise ConfigError(
                    f"{prefix}{section}.{old} and {section}.{new} both given: {section}.{old} is the "
                    f"old name of {section}.{new}; keep {section}.{new} only"
                )
            if old in table:
                warn(f"{prefix}{section}.{old} is deprecated: rename it {section}.{new}", stacklevel=4)
        raw = {**raw, section: {renamed.get(key, key): value for key, value in table.items()}}
    return raw


def folder_fields(name: str, document: dict[str, Any]) -> tuple[dict[str, Any], list[str], list[str]]:
    """A run folder's ``name`` (topics.json or manifest.json) with each old field under its
    new name, what was renamed ("themes as guided_themes") and where both names were given
    ("both themes and guided_themes: guided_themes is used, ..."): the new one's value is kept
    and the old one's ignored, even when they are equal."""
    found, both = [], []
    for path, new in FOLDER_FIELDS.get(name, {}).items():
        document, moved = _rename_at(document, path, new)
        old, given = ".".join(path), ".".join((*path[:-1], new))
        if moved == "both":
            both.append(_both(old, given))
        elif moved:
            found.append(f"{old} as {new}")
    if name == "topics.json" and isinstance(document.get("topics"), list):
        topics = [_renamed_topic(t) for t in document["topics"]]
        for old, new in TOPIC_FIELDS.items():
            if any(moved == old for _, moved in topics):
                found.append(f"topics[].{old} as {new}")
            where = [str(i) for i, (_, moved) in enumerate(topics) if moved == "both"]
            if where:
                both.append(_both(f"topics[].{old}", f"topics[].{new}") + f" (topics {', '.join(where)})")
        if any(moved for _, moved in topics):
            document = {**document, "topics": [t for t, _ in topics]}
    return document, found, both


def _both(old: str, new: str) -> str:
    return f"both {old} and {new}: {new} is used, {old} (its old name) is ignored"


def _renamed_topic(topic: Any) -> tuple[Any, str]:
    """A topic with its old fields under their new names; "" when it had none, "both" when it
    had an old field and its new name too (the new one kept), else the old names it had."""
    if not isinstance(topic, dict) or not set(TOPIC_FIELDS) & set(topic):
        return topic, ""
    kept = {k: v for k, v in topic.items() if k not in TOPIC_FIELDS}
    moved = "both" if any(new in topic for old, new in TOPIC_FIELDS.items() if old in topic) else ""
    for old, new in TOPIC_FIELDS.items():
        if old in topic:
            kept[new] = topic.get(new, topic[old])
            moved = moved or old
    return kept, moved


def _rename_at(document: Any, path: tuple[str, ...], new: str) -> tuple[Any, str]:
    """``document`` with the field at ``path`` renamed ``new`` (copies along the path), and
    "renamed", "both" (the new name was there too: its value kept, the old one dropped) or ""."""
    if not isinstance(document, dict) or path[0] not in document:
        return document, ""
    if len(path) == 1:
        if new in document:
            return {k: v for k, v in document.items() if k != path[0]}, "both"
        return {(new if k == path[0] else k): v for k, v in document.items()}, "renamed"
    child, moved = _rename_at(document[path[0]], path[1:], new)
    return ({**document, path[0]: child} if moved else document), moved
