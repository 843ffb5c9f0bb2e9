"""Paragraph language, offline: py3langid (model inside the package) plus OpenCC for zh-Hant/zh-Hans."""

from __future__ import annotations

import os
import re
from functools import cache

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")


@cache
def _converters():
    import opencc

    return opencc.OpenCC("t2s"), opencc.OpenCC("s2t")


def chinese_script(text: str) -> str:
    """'zh-Hant' when converting to Simplified changes more characters than the reverse."""
    t2s, s2t = _converters()
    simplified, traditional = t2s.convert(text), s2t.convert(text)
    to_simple = sum(a != b for a, b in zip(text, simplified, strict=False))
    to_trad = sum(a != b for a, b in zip(text, traditional, strict=False))
    return "zh-Hant" if to_simple > to_trad else "zh-Hans"


def detect_language(text: str) -> str:
    """BCP-47-ish code: 'zh-Hant', 'zh-Hans', 'ja', 'en', 'ru', ... or 'und'."""
    han = len(_HAN.findall(text))
    letters = sum(ch.isalpha() for ch in text) or 1
    if _KANA.search(text) and len(_KANA.findall(text)) >= 0.05 * letters:
        return "ja"
    if _HANGUL.search(text) and len(_HANGUL.findall(text)) >= 0.3 * letters:
        return "ko"
    if han >= 0.3 * letters:
        return chinese_script(text)
    if letters < 3:
        return "und"
    import py3langid

    code, _ = py3langid.classify(text)
    if code == "zh":
        return chinese_script(text)
    return code


# Below this many texts a worker process costs more than it saves.
_PARALLEL_MIN_TEXTS = 20_000


def detect_languages(texts: list[str]) -> list[str]:
    """detect_language for many texts, on every core for large corpora (py3langid is pure Python)."""
    workers = os.cpu_count() or 1
    if len(texts) < _PARALLEL_MIN_TEXTS or workers < 2:
        return [detect_language(t) for t in texts]
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    # "spawn": safe even when the caller already runs threads (fork would copy their locks).
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        return list(pool.map(detect_language, texts, chunksize=2_000))
