"""The run folder's JSON documents as types: topics.json (``TopicsDocument``) and manifest.json
(``Manifest``). The pipeline builds them (``themescope.documents``), ``Run`` holds them, and
the report, the summary, ``compare`` and ``curate`` read them; docs/architecture.md gives the
schemas. Every model keeps keys this version does not know (``extra="allow"``) and gives
every key a default, so folders written by older and newer versions load alike.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator


class _Document(BaseModel):
    model_config = ConfigDict(extra="allow")


def as_share(value: Any) -> float:
    """A share as the documents hold it: a number from 0 to 1 (the report draws it as a
    percentage), else a ValueError that names the key in the load error."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0.0 <= value <= 1.0:
        raise ValueError(f"a share from 0 to 1, not {value!r}")
    return float(value)


# -- topics.json ---------------------------------------------------------------------------


class SupportRecord(_Document):
    """Who carries a topic or broad theme (topics/evidence.py): ``count`` answers (authors)
    hold at least one of its paragraphs; ``share``: that count over every answer (author) in
    the run; ``top_share``: the share of its paragraphs written in the one answer (by the one
    author) that holds most of them."""

    count: int = 0
    share: float = 0.0
    top_share: float = 0.0

    @field_validator("share", "top_share", mode="before")
    @classmethod
    def _shares(cls, value: Any) -> float:
        return as_share(value)


class _Described(_Document):
    """What a topic and a broad theme both have: words, size, the paragraphs that show it
    best, and how often it comes back in resamples."""

    id: int
    label: str = ""
    size: int = 0
    keywords: list[tuple[str, float]] = []
    representative: list[str] = []  # paragraph ids
    # Share of 90 % resamples in which it comes back (topics.persistence); None: not measured.
    persistence: float | None = None
    # Paragraph ids that show it: central and unlike each other, from different answers where
    # it can (topics/evidence.py); empty in a run written before them.
    exemplars: list[str] = []
    # How many answers and authors carry it (None in a run written before it was counted), and
    # whether one answer alone holds all of its paragraphs.
    answers: SupportRecord | None = None
    authors: SupportRecord | None = None
    single_answer: bool = False

    @field_validator("id", mode="before")
    @classmethod
    def _whole_id(cls, value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("a topic has no whole-number 'id'")
        return value

    @field_validator("label", mode="before")
    @classmethod
    def _text_label(cls, value: Any) -> str:
        return "" if value is None else str(value)

    @field_validator("persistence", mode="before")
    @classmethod
    def _share(cls, value: Any) -> float | None:
        """0..1; None when not measured (a run written before it existed, NaN in a DataFrame),
        or not a number; a number outside 0..1 (an infinity) is not as a run writes it."""
        if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
            return None
        return as_share(value)


class TopicEntry(_Described):
    """One topic."""

    guided_theme: str | None = None  # the guided theme it carries (topics.guided_themes)
    parent: int | None = None  # its broad theme's id
    level: int = 1


class BroadThemeEntry(_Described):
    """One broad theme above the topics (topics.hierarchy), described as a topic is."""

    level: int = 0
    topics: list[int] = []  # the ids of the topics under it


class CurationRecord(_Document):
    """The curation the run applied: each step's outcome (with its anchors') and the id the
    report gives its next split. Kept in topics.json alone (runs before this version wrote it
    to manifest.json too; ``Run`` reads it from there when topics.json has none)."""

    steps: list[dict[str, Any]] = []
    next_topic_id: int | None = None


class PersistenceMethod(_Document):
    """How the persistence figures were measured (topics/persistence.py)."""

    resamples: int = 0
    resamples_grouped: int = 0
    grouped_above: int = 0
    share_kept: float = 0.0
    same_topic_jaccard: float = 0.0
    persists_from: float = 0.0

    @field_validator("share_kept", "same_topic_jaccard", "persists_from", mode="before")
    @classmethod
    def _shares(cls, value: Any) -> float:
        return as_share(value)


class TopicsDocument(_Document):
    """topics.json."""

    topics: list[TopicEntry] = []
    # The level above the topics, when there are enough topics to group (topics.hierarchy).
    broad_themes: list[BroadThemeEntry] = []
    outlier_share: float = 0.0
    reassigned_outliers: int = 0
    guided_themes: list[dict[str, Any]] = []  # per guided theme: the topic it took, its score
    curation: CurationRecord | None = None
    similarity: list[list[float]] = []  # topic x topic cosine, in ``topics`` order
    metrics: dict[str, Any] = {}
    persistence: PersistenceMethod | None = None  # None in a run written before it

    def to_json(self) -> dict[str, Any]:
        """The document as topics.json holds it (no ``curation`` key without a curation)."""
        document = self.model_dump(mode="json")
        if document["curation"] is None:
            del document["curation"]
        if document["persistence"] is None:
            del document["persistence"]
        return document


# -- manifest.json -------------------------------------------------------------------------


class CsvFormat(_Document):
    """How a run's CSV files are written: manifest.json's ``csv``.

    ``formula_escape``: a text cell that a spreadsheet would read as a formula (one that
    begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) or that begins with
    the mark itself is written with the mark in front, so a reader takes exactly one mark
    off a cell that begins with it; "" (and folders without ``csv``): cells as they are.
    ``encoding``: "utf-8-sig" is UTF-8 after a byte-order mark (Excel then reads it as
    UTF-8); the readers accept it with or without.
    """

    encoding: str = "utf-8"
    formula_escape: str = ""


class InputRecord(_Document):
    path: str = ""
    format: str = ""
    encoding: str | None = None
    sha256: str = ""
    bytes: int = 0


class DroppedRecord(_Document):
    """Something the reader left out, and why (nothing is dropped silently)."""

    text: str = ""
    reason: str = ""
    source: str | None = None
    line: int | None = None


class QuestionRecord(_Document):
    id: str = ""
    title: str = ""
    answers: int = 0
    source: str | None = None


class Counts(_Document):
    questions: int = 0
    answers: int = 0
    paragraphs: int = 0
    dropped: int = 0
    duplicates: int = 0


class EmbeddingsRecord(_Document):
    """The model that embedded the paragraphs, and what the per-text cache gave."""

    model: str = ""
    fingerprint: str = ""
    dim: int = 0
    cache_dir: str | None = None
    cache_hits: int = 0
    cache_misses: int = 0
    embedded: int = 0
    corrupt_cache_shards: int = 0
    language_centering: bool = False
    language_centering_setting: bool | str = "auto"
    # Each member model's block centered and of equal weight (``center_vectors``).
    member_blocks: list[Any] = []
    languages: dict[str, int] = {}


class TopicsRecord(_Document):
    """The topic settings as resolved for this corpus, and what the fit found."""

    resolved: dict[str, Any] = {}
    reassigned: int = 0
    outlier_share: float = 0.0
    n_topics: int = 0
    guided_themes: list[dict[str, Any]] = []


class StageRecord(_Document):
    """One stage: "hit" (from the stage cache), "miss" (computed) or "always rendered"."""

    cache: str = ""
    seconds: float = 0.0


class Manifest(_Document):
    """What a run did: manifest.json."""

    schema_version: int = 1
    themescope_version: str = ""
    created: str = ""
    title: str = ""
    config_file: str | None = None
    config: dict[str, Any] = {}  # the resolved config, as config.Config dumps it
    versions: dict[str, str] = {}
    inputs: list[InputRecord] = []
    counts: Counts = Counts()
    dropped: list[DroppedRecord] = []
    questions: list[QuestionRecord] = []  # id, title, answers, source per question
    embeddings: EmbeddingsRecord = EmbeddingsRecord()
    topics: TopicsRecord = TopicsRecord()
    timings: dict[str, float] = {}
    stages: dict[str, StageRecord] = {}
    warnings: list[str] = []
    # Runs before this version wrote the curation here too: read into topics.json's, never written.
    curation: CurationRecord | None = None
    files: list[str] = []  # what the run wrote, relative to its folder: a re-run replaces only these
    # How paragraphs.csv is written (CsvFormat); a folder written before holds none, so its
    # cells are read as they are.
    csv: CsvFormat | None = None

    def to_json(self) -> dict[str, Any]:
        """The manifest as manifest.json holds it."""
        document = self.model_dump(mode="json")
        if document["curation"] is None:
            del document["curation"]
        return document
