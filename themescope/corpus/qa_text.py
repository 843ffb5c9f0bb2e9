"""The plain Q&A page format: a title line, then answers each introduced by an author line.

Inside an answer, every non-empty line is a paragraph unless it is a heading, an image
caption or a page footer. Blank lines carry no meaning, so pages saved with collapsed or
doubled blank lines parse alike.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from themescope.config import ParagraphsConfig
from themescope.corpus import clean
from themescope.corpus.models import Answer, Dropped, Paragraph, Question

# multilingual-e5-small reads 512 tokens; keep room for "passage: " and the special tokens,
# and for the estimate's error (see clean.estimate_tokens).
MODEL_WINDOW_TOKENS = 400


@dataclass
class _Line:
    number: int
    text: str
    kind: str = "paragraph"  # paragraph | author | heading


def parse_qa_text(
    text: str, source: str, question_id: str, settings: ParagraphsConfig
) -> tuple[Question, list[Dropped]]:
    dropped: list[Dropped] = []
    lines = [
        _Line(number, clean.clean_line(raw))
        for number, raw in enumerate(text.split("\n"), start=1)
        if clean.clean_line(raw)
    ]
    if not lines:
        raise ValueError("no text")
    title, body = lines[0], lines[1:]
    body = _drop_junk(body, source, settings, dropped)
    _classify(body)

    question = Question(id=question_id, title=title.text, source=source)
    answer: Answer | None = None
    heading: str | None = None
    for line in body:
        if line.kind == "author":
            answer = Answer(
                id=f"{question_id}-a{len(question.answers) + 1}", author=line.text, line=line.number
            )
            question.answers.append(answer)
            heading = None
        elif answer is None:  # the question's own text: kept with it, listed as not clustered
            question.body = f"{question.body}\n{line.text}".strip()
            dropped.append(
                Dropped(
                    line.text,
                    "before the first author line: the question's text, not an answer",
                    source,
                    line.number,
                )
            )
        elif line.kind == "heading" and settings.attach_headings:
            heading = line.text
        else:
            answer.paragraphs.append(
                Paragraph(id="", text=line.text, position=0, heading=heading, line=line.number)
            )
    for answer in question.answers:
        answer.paragraphs = finish_paragraphs(answer, settings, source, dropped)
    return question, dropped


def answer_paragraphs(
    text: str, line: int, language: str, source: str, settings: ParagraphsConfig, dropped: list[Dropped]
) -> list[Paragraph]:
    """One answer's text as a record holds it, read as the same answer on a page is: captions
    and footers dropped, headings attached to the paragraphs under them (the same page must
    give the same paragraphs in any format). ``line`` is the record's line or number."""
    lines = [_Line(line, clean.clean_line(raw)) for raw in text.split("\n") if clean.clean_line(raw)]
    lines = _drop_junk(lines, source, settings, dropped)
    _classify(lines, authors=False)
    paragraphs: list[Paragraph] = []
    heading: str | None = None
    for item in lines:
        if item.kind == "heading" and settings.attach_headings:
            heading = item.text
        else:
            paragraphs.append(
                Paragraph(id="", text=item.text, position=0, heading=heading, line=line, language=language)
            )
    return paragraphs


def _drop_junk(
    lines: list[_Line], source: str, settings: ParagraphsConfig, dropped: list[Dropped]
) -> list[_Line]:
    kept = []
    in_footer = False
    for i, line in enumerate(lines):
        if settings.drop_footers and clean.is_footer(line.text):
            in_footer = True
        following = lines[i + 1].text if i + 1 < len(lines) else ""
        if in_footer and not _starts_answer(line.text, following):
            dropped.append(Dropped(line.text, "page footer", source, line.number))
            continue
        in_footer = False
        if settings.drop_captions and clean.is_caption(line.text):
            dropped.append(Dropped(line.text, "image caption", source, line.number))
            continue
        kept.append(line)
    return kept


def _starts_answer(text: str, following: str) -> bool:
    """After a footer, only a new author with a real paragraph ends the footer."""
    if not clean.is_author_line(text) or clean.is_footer(text):
        return False
    return bool(following) and not clean.is_heading(following)


def _classify(lines: list[_Line], authors: bool = True) -> None:
    """Mark author lines (unless ``authors`` is False: one answer's own text) and headings;
    what is left is a paragraph.

    An author line must be followed by a paragraph-like line (a long line or a sentence);
    a short line followed by a paragraph that is not a name is a heading.
    """
    for i, line in enumerate(lines):
        following = lines[i + 1].text if i + 1 < len(lines) else ""
        if not following:
            continue
        if authors and clean.is_author_line(line.text) and not clean.is_author_line(following):
            line.kind = "author"
        elif (
            clean.is_heading(line.text)
            and not clean.is_heading(following)
            and not clean.is_broken_pair(line.text, following)
        ):
            line.kind = "heading"


def finish_paragraphs(
    answer: Answer, settings: ParagraphsConfig, source: str, dropped: list[Dropped]
) -> list[Paragraph]:
    """Join layout-broken paragraphs, drop tiny ones (reported), split ones too long for the
    embedding model at sentence ends, number and id the rest."""
    merged: list[Paragraph] = []
    for para in answer.paragraphs:
        prev = merged[-1] if merged else None
        if (
            settings.join_broken
            and prev is not None
            and prev.heading == para.heading
            and clean.is_broken_pair(prev.text, para.text)
        ):
            prev.text = clean.join_broken(prev.text, para.text)
            continue
        merged.append(para)
    max_tokens = MODEL_WINDOW_TOKENS if settings.max_tokens == "auto" else settings.max_tokens
    kept: list[Paragraph] = []
    position = 0
    for para in merged:
        if len(para.text) < settings.min_chars:
            reason = f"shorter than paragraphs.min_chars={settings.min_chars}"
            dropped.append(Dropped(para.text, reason, source, para.line))
            continue
        pieces = clean.split_long(para.text, max_tokens)
        for part, piece in enumerate(pieces, start=1):
            chunk = replace(para, text=piece, position=position)
            chunk.id = f"{answer.id}-p{position + 1}"
            if len(pieces) > 1:
                chunk.part = part
                chunk.id += f".{part}"
            kept.append(chunk)
        position += 1
    return kept
