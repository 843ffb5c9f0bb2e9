"""Curation: the reader's renames, merges, moves and splits, kept in the config's
``[curation]`` section and applied after clustering on every run.

Topic ids change from run to run, so every edit names paragraphs (anchors) instead:
``anchors`` finds them in this run's corpus, ``replay`` applies the steps to the topics,
``snippet`` writes a curation back as TOML.
"""

from themescope.curation.anchors import ResolvedStep, resolve_steps
from themescope.curation.replay import Curated, replay

__all__ = ["Curated", "ResolvedStep", "replay", "resolve_steps"]
