"""Reading Q&A pages and record files into attributed, cleaned paragraphs."""

from themescope.corpus.models import Answer, Corpus, Dropped, Paragraph, Question
from themescope.corpus.reader import read_corpus

__all__ = ["Answer", "Corpus", "Dropped", "Paragraph", "Question", "read_corpus"]
