"""Import BERTopic without the parts of it themescope never calls.

``import bertopic`` takes ~7 s and ~600 MiB here, mostly transformers and torch, which it
imports only for its LLM representation models and its legacy pickle serialisation; both
imports are guarded in BERTopic with ``except ImportError``. Refusing them while BERTopic
imports brings that to ~2 s. UMAP is refused the same way when the reduction comes from the
stage cache. A module that is already loaded (torch, when the embedder is a
sentence-transformers model) is never refused.
"""

from __future__ import annotations

import importlib.abc
import sys
import threading
from types import ModuleType

_UNUSED = ("transformers", "torch")
_lock = threading.Lock()


class _Refuse(importlib.abc.MetaPathFinder):
    """Makes ``import NAME`` raise ModuleNotFoundError; leaves ``sys.modules`` untouched."""

    def __init__(self, names: set[str]) -> None:
        self.names = names

    def find_spec(self, fullname, path=None, target=None):
        if fullname.partition(".")[0] in self.names:
            raise ModuleNotFoundError(f"{fullname} not imported by themescope", name=fullname)
        return None


_lean = False  # set by the command line only (``themescope.process``): an import hook is process-wide


def lean_imports(enabled: bool = True) -> None:
    """Let :func:`import_bertopic` refuse the modules BERTopic does not need here."""
    global _lean
    _lean = enabled


def import_bertopic(need_umap: bool = True) -> ModuleType:
    with _lock:
        if "bertopic" in sys.modules:
            return sys.modules["bertopic"]
        if not _lean:
            import bertopic

            return bertopic
        refused = {name for name in _UNUSED if name not in sys.modules}
        if not need_umap and "umap" not in sys.modules:
            refused.add("umap")
        finder = _Refuse(refused)
        sys.meta_path.insert(0, finder)
        try:
            import bertopic
        finally:
            sys.meta_path.remove(finder)
        return bertopic


def import_topic_stack() -> None:
    """Import BERTopic, HDBSCAN and UMAP ahead of need (a thread does it while vectors are
    computed); an ImportError resurfaces, with its message, when the topics stage imports."""
    try:
        import_bertopic(need_umap=True)
        import hdbscan  # noqa: F401
        import umap  # noqa: F401
    except ImportError:
        pass
