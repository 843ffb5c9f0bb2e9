"""The config file: TOML, validated by one pydantic model per section.

Every problem becomes one line naming the dotted key, so a user can fix a config without
reading a traceback. ``--set key=value`` overrides are applied to the TOML dict *before*
validation (as spaCy/confection do), so they are checked exactly like the file.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from themescope import renamed
from themescope.errors import ConfigError

Auto = Literal["auto"]
# Where TOML's true/false or a string must not pass for another type (pydantic's lax mode
# reads seed = true as 1 and "yes" as true).
StrictBool = Annotated[bool, Field(strict=True)]
NonEmpty = Annotated[str, Field(min_length=1)]
# Counts and sizes: a 20-digit number validated and then overflowed numpy's int64 in the run.
# No setting means anything near 2**31; above it, the key is named at validation.
MAX_COUNT = 2**31 - 1


Count0 = Annotated[int, Field(ge=0, le=MAX_COUNT)]
Count1 = Annotated[int, Field(ge=1, le=MAX_COUNT)]
Count2 = Annotated[int, Field(ge=2, le=MAX_COUNT)]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class InputConfig(_Section):
    paths: Annotated[list[NonEmpty], Field(min_length=1)] = Field(
        default_factory=lambda: ["../examples/us-russia-relations.txt"]
    )
    format: Literal["auto", "qa-text", "jsonl", "json", "csv", "tsv"] = "auto"
    on_error: Literal["fail", "skip"] = "fail"
    # The most megabytes one input file may hold once read (gunzipped). "auto": 1024 MB, and
    # for a .gz file also at most 100 times its compressed size (64 MB at least), so a small
    # gzip bomb is refused after 100 MB rather than at the absolute cap.
    max_decompressed_mb: Auto | Count1 = "auto"


class ParagraphsConfig(_Section):
    min_chars: Count0 = 10
    drop_captions: StrictBool = True
    drop_footers: StrictBool = True
    join_broken: StrictBool = True
    attach_headings: StrictBool = True
    max_tokens: Auto | Annotated[int, Field(ge=16, le=MAX_COUNT)] = "auto"


class EmbeddingsConfig(_Section):
    model: Annotated[str, Field(min_length=1, pattern=r"\S")] = "builtin"
    cache_dir: str | None = None
    batch_size: Count1 = 32
    device: Literal["auto", "cpu", "cuda"] = "auto"
    language_centering: Auto | StrictBool = "auto"
    engine: Literal["local", "dask"] = "local"
    scheduler: str | None = None  # dask.distributed address, e.g. "tcp://host:8786"; none: a LocalCluster


class ThemeConfig(_Section):
    name: Annotated[str, Field(min_length=1, pattern=r"\S")]
    keywords: list[NonEmpty] = Field(default_factory=list)
    description: str = ""


class TopicsConfig(_Section):
    seed: Annotated[int, Field(strict=True, ge=0, le=2**32 - 1)] = 42  # numpy/UMAP accept no more
    min_topic_size: Auto | Count2 = "auto"
    n_neighbors: Auto | Count2 = "auto"
    n_components: Count2 = 12
    nr_topics: Auto | Count1 | None = "auto"
    reduce_outliers: StrictBool = True
    max_outlier_share: Annotated[float, Field(ge=0.0, le=1.0)] = 0.10
    top_n_words: Annotated[int, Field(ge=1, le=50)] = 10
    # Broad themes above the topics: how many ("auto": where the tree of topics jumps, 3-6).
    broad_themes: Auto | Count2 = "auto"
    # Guided themes: the themes the user expects, which name the topics that carry them
    # (themescope.topics.themes). The old key, topics.themes, still loads (themescope.renamed).
    guided_themes: list[ThemeConfig] = Field(default_factory=list)

    @field_validator("guided_themes")
    @classmethod
    def _distinct_names(cls, themes: list[ThemeConfig]) -> list[ThemeConfig]:
        names = [t.name.strip() for t in themes]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise ValueError(f"theme names must differ; repeated: {', '.join(repeated)}")
        return themes


class ReportConfig(_Section):
    title: str = "auto"
    max_hover_chars: Annotated[int, Field(ge=20, le=MAX_COUNT)] = 200
    # The map draws every paragraph up to this many (WebGL above 3,000), a sample above.
    max_map_points: Annotated[int, Field(ge=100, le=MAX_COUNT)] = 250_000
    # The report's table (and the views the page rebuilds) holds every paragraph up to this
    # many, a sample of every topic in proportion above: a million paragraphs' text would make
    # a report of 150 MB. paragraphs.csv always holds them all.
    max_table_rows: Annotated[int, Field(ge=100, le=MAX_COUNT)] = 250_000
    # The period of the topics-over-time figure ("auto": from the dates' span).
    time_period: Literal["auto", "day", "week", "month", "year"] = "auto"


class OutputConfig(_Section):
    dir: Annotated[str, Field(min_length=1, pattern=r"\S")] = "runs/{config_stem}"


# A paragraph id as the run names it: q<question>-a<answer>-p<paragraph>.
PARAGRAPH_ID = r"^q[0-9]+-a[0-9]+-p[0-9]+$"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _no_controls(label: str) -> str:
    if _CONTROL.search(label):
        raise ValueError("a label holds no control characters (tabs and line breaks are fine)")
    return label


# A curated topic name: any text but an empty one or control characters, up to LABEL_CHARS
# characters (the report's curation forms take as many: reports/rules.py).
LABEL_CHARS = 200
Label = Annotated[
    str, Field(min_length=1, max_length=LABEL_CHARS, pattern=r"\S"), AfterValidator(_no_controls)
]


class ParagraphAnchor(_Section):
    """A paragraph that stands for a topic or is moved: its id, and the start of its text,
    which finds it again when the id now names another paragraph (an answer gained one)."""

    id: Annotated[str, Field(pattern=PARAGRAPH_ID)]
    text: Annotated[str, Field(max_length=1000)] = ""


def _anchor(value: Any) -> Any:
    return {"id": value} if isinstance(value, str) else value


Anchor = Annotated[ParagraphAnchor, BeforeValidator(_anchor)]
Anchors = Annotated[list[Anchor], Field(min_length=1, max_length=MAX_COUNT)]
_ACTIONS = ("rename", "merge", "move", "split")


class CurationStep(_Section):
    """One edit, anchored on paragraphs rather than topic ids (which change between runs):
    ``rename`` the topic holding a paragraph; ``merge`` the topics holding these paragraphs;
    ``move`` paragraphs ``to`` the topic holding another (or to "outliers"); ``split``
    paragraphs off into a new topic. Steps apply in order, each to the topics as the
    previous steps left them, as the report's edits did."""

    rename: Anchor | None = None
    merge: Annotated[list[Anchor], Field(min_length=2, max_length=MAX_COUNT)] | None = None
    move: Anchors | None = None
    split: Anchors | None = None
    to: Literal["outliers"] | Anchor | None = None
    label: Label | None = None

    @field_validator("to", mode="before")
    @classmethod
    def _destination(cls, value: Any) -> Any:
        """One message for a bad destination, not one per form it could have taken."""
        if isinstance(value, str) and value != "outliers" and not re.fullmatch(PARAGRAPH_ID, value):
            raise ValueError(f'expected "outliers" or a paragraph id such as q1-a3-p6 (got {value!r})')
        return value

    @property
    def action(self) -> str:
        return next(a for a in _ACTIONS if getattr(self, a) is not None)

    @model_validator(mode="after")
    def _one_action(self) -> CurationStep:
        given = [a for a in _ACTIONS if getattr(self, a) is not None]
        if len(given) != 1:
            got = ", ".join(given) or "none"
            raise ValueError(f"a step takes exactly one of rename, merge, move, split (got {got})")
        if given[0] == "rename" and self.label is None:
            raise ValueError("rename needs a label: the topic's new name")
        if given[0] == "move" and self.to is None:
            raise ValueError('move needs to: a paragraph of the destination topic, or "outliers"')
        if given[0] != "move" and self.to is not None:
            raise ValueError("to belongs to move only")
        if given[0] == "move" and self.label is not None:
            raise ValueError("move takes no label (rename the destination topic instead)")
        return self


class CurationConfig(_Section):
    steps: list[CurationStep] = Field(default_factory=list)


class Config(_Section):
    input: InputConfig = Field(default_factory=InputConfig)
    paragraphs: ParagraphsConfig = Field(default_factory=ParagraphsConfig)
    embeddings: EmbeddingsConfig = Field(default_factory=EmbeddingsConfig)
    topics: TopicsConfig = Field(default_factory=TopicsConfig)
    report: ReportConfig = Field(default_factory=ReportConfig)
    output: OutputConfig = Field(default_factory=OutputConfig)
    curation: CurationConfig = Field(default_factory=CurationConfig)

    # Where the config came from; relative input paths resolve against ``base_dir``.
    _source: str | None = PrivateAttr(default=None)
    _base_dir: str = PrivateAttr(default=".")

    @property
    def source(self) -> str | None:
        return self._source

    @property
    def base_dir(self) -> str:
        return self._base_dir

    def input_paths(self) -> list[Path]:
        return [_resolve(p, Path(self.base_dir)) for p in self.input.paths]

    def output_dir(self) -> Path:
        stem = Path(self.source).stem if self.source else "run"
        return _expand_home(self.output.dir.replace("{config_stem}", stem))

    def cache_dir(self) -> Path:
        if self.embeddings.cache_dir:
            return _resolve(self.embeddings.cache_dir, Path(self.base_dir))
        from platformdirs import user_cache_dir

        return Path(user_cache_dir("themescope"))


def _resolve(path: str, base: Path) -> Path:
    p = _expand_home(path)
    return p if p.is_absolute() else base / p


def _expand_home(path: str) -> Path:
    """``~`` and ``~user`` expanded; an unknown user is a ConfigError, not a crash."""
    try:
        return Path(path).expanduser()
    except RuntimeError:
        raise ConfigError(f"{path}: no such home folder (~user)") from None


def user_path(path: str | Path) -> Path:
    """A folder the caller names (``out=``, ``--out``, ``Run.write``, ``load_run``), with ``~``
    expanded as in ``output.dir``."""
    return _expand_home(str(path))


def load_config(
    path: str | Path,
    overrides: list[str] | None = None,
    curation: str | Path | None = None,
    settings: dict[str, Any] | None = None,
) -> Config:
    """Read, override and validate a config file; raise ConfigError naming every problem.

    ``curation``: a TOML file whose ``[curation]`` section (as the report saves it) replaces
    the config's; it is checked on its own, so an error names that file. ``settings``:
    Python values by key (:func:`apply_settings`), applied after ``overrides``.
    """
    path = Path(path)
    raw = _read_toml(path, "config")
    apply_overrides(raw, overrides or [])
    apply_settings(raw, settings or {})
    if curation is not None:
        raw["curation"] = read_curation(Path(curation)).model_dump(mode="json", exclude_none=True)
    return config_from_dict(raw, source=str(path), base_dir=str(path.resolve().parent))


def read_curation(path: Path) -> CurationConfig:
    """A curation file: a ``[curation]`` section and nothing else."""
    raw = _read_toml(path, "curation file")
    other = sorted(set(raw) - {"curation"})
    if other:
        raise ConfigError(f"{path}: a curation file holds only [curation]; found {', '.join(other)}")
    try:
        return Config.model_validate({"curation": raw.get("curation", {})}).curation
    except ValidationError as exc:
        raise ConfigError(*(f"{path}: {line}" for line in _format_errors(exc))) from None


def _read_toml(path: Path, what: str) -> dict[str, Any]:
    if not path.exists():
        raise ConfigError(f"{path}: {what} not found")
    if not path.is_file():
        raise ConfigError(f"{path}: {what} is not a regular file")
    try:
        return tomllib.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: {what} is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except RecursionError:  # tomllib parses nested arrays and tables recursively
        raise ConfigError(f"{path}: not valid TOML: arrays or tables nested too deeply") from None
    except ValueError as exc:  # an integer of thousands of digits
        raise ConfigError(f"{path}: not valid TOML: {' '.join(str(exc).split())[:200]}") from None


def config_from_dict(raw: dict[str, Any], source: str | None = None, base_dir: str = ".") -> Config:
    raw = renamed.config_keys(raw, source)  # old key names, read with a warning
    try:
        config = Config.model_validate(raw)
    except RecursionError:  # a dict given in Python, nested past the interpreter's limit
        raise ConfigError(f"{source or 'config'}: nested too deeply to be a config") from None
    except ValidationError as exc:
        prefix = f"{source}: " if source else ""
        raise ConfigError(*(prefix + line for line in _format_errors(exc))) from None
    config._source = source
    config._base_dir = base_dir
    return config


def apply_overrides(raw: dict[str, Any], overrides: list[str]) -> None:
    """Apply ``section.key=value`` overrides (TOML values, bare words taken as strings)."""
    for item in overrides:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ConfigError(f"--set {item}: expected KEY=VALUE, e.g. topics.min_topic_size=5")
        try:
            parsed = tomllib.loads(f"v = {value}")["v"]
        except tomllib.TOMLDecodeError:
            parsed = value
        except RecursionError:
            raise ConfigError(f"--set {key}: value nested too deeply") from None
        except ValueError:  # an integer of thousands of digits
            raise ConfigError(f"--set {key}: not a value themescope can hold") from None
        _set_key(raw, key, parsed, f"--set {item}")


def apply_settings(raw: dict[str, Any], settings: dict[str, Any]) -> None:
    """Apply keyword settings from Python (``topics__nr_topics=None``, lists of tables,
    ``Path``): each value is set as it is, not read back from text, so None, dicts and
    paths arrive as themselves; paths become text, as in a TOML file."""
    for name, value in settings.items():
        key = name.replace("__", ".")
        _set_key(raw, key, _plain_value(value, key), key)


def plain_config(raw: dict[str, Any]) -> dict[str, Any]:
    """A config dict given in Python with its paths as text, tuples as lists and numpy
    scalars as numbers, as a TOML file would hold them."""
    return _plain_value(raw, "config")


def _plain_value(value: Any, key: str, depth: int = 0) -> Any:
    """``value`` with paths as text, tuples as lists and numpy scalars as numbers (what a TOML
    file could hold)."""
    if depth > 100:
        raise ConfigError(f"{key}: value nested too deeply")
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if type(value).__module__ == "numpy" and hasattr(value, "item"):  # np.int64(5) is 5
        value = value.item()
    if isinstance(value, list | tuple):
        return [_plain_value(v, key, depth + 1) for v in value]
    if isinstance(value, dict):
        return {k: _plain_value(v, key, depth + 1) for k, v in value.items()}
    return value


def _set_key(raw: dict[str, Any], key: str, value: Any, what: str) -> None:
    node = raw
    parts = key.split(".")
    for part in parts[:-1]:
        child = node.setdefault(part, {})
        if not isinstance(child, dict):
            raise ConfigError(f"{what}: {part} is not a section")
        node = child
    node[parts[-1]] = value


# pydantic's wording where it reads badly after "expected".
_MESSAGES = {
    "string_too_short": "a non-empty text",
    "string_pattern_mismatch": "a non-empty text",
    "too_short": "at least one entry",
}


def _format_errors(exc: ValidationError) -> list[str]:
    """One line per key; a union's alternatives are joined ("'auto' or a valid integer")."""
    problems: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    for err in exc.errors():
        loc = [str(p) for p in err["loc"] if not _is_union_tag(p)]
        key = ".".join(loc)
        if err["type"] == "extra_forbidden":
            problems.setdefault(key, []).append(f"unknown key{_suggest(loc)}")
            continue
        if err["type"] == "value_error":  # our own validators' message, said as it is
            problems.setdefault(key, []).append(str(err["ctx"]["error"]))
            continue
        message = _MESSAGES.get(err["type"], err["msg"])
        if err["type"] == "too_short":
            message = (
                f"at least {err['ctx']['min_length']} entries" if err["ctx"]["min_length"] > 1 else message
            )
        if err["type"] == "string_pattern_mismatch" and err["ctx"]["pattern"] == PARAGRAPH_ID:
            message = "a paragraph id such as q1-a3-p6"
        message = message[len("Input should be ") :] if message.startswith("Input should be ") else message
        problems.setdefault(key, []).append(message)
        values[key] = err.get("input")
    lines = []
    for key, messages in problems.items():
        if key not in values:
            lines.append(f"{key}: {messages[0]}")
            continue
        value = values[key]
        shown = "a table" if isinstance(value, dict) else repr(value)
        expected = " or ".join(dict.fromkeys(messages))
        lines.append(f"{key}: expected {expected} (got {shown})")
    return lines


def _is_union_tag(part: Any) -> bool:
    return isinstance(part, str) and (
        part.startswith(("literal[", "constrained-", "function-"))
        or part in {"int", "bool", "str", "float", "none", "list[str]"}
    )


def _suggest(loc: list[str]) -> str:
    """'(did you mean ...?)' from the keys the section really has."""
    model: Any = Config
    for part in loc[:-1]:
        field = model.model_fields.get(part)
        if field is None or not isinstance(field.annotation, type):
            return ""
        model = field.annotation
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        return ""
    known = list(model.model_fields)
    close = difflib.get_close_matches(loc[-1], known, n=1)
    return f" (did you mean {close[0]}?)" if close else ""
