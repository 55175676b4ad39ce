"""Cleaning scraped plain text (lines, header, the stage), paragraphs and sentences, and the tokens and
numbers of the cleaned text that the dates and quantities grammars share (tokens, numbers)."""

from newsloom.clean.lines import CleanData
from newsloom.clean.stage import CleanResult, PlainTextClean, clean_text

__all__ = ["CleanData", "CleanResult", "PlainTextClean", "clean_text"]
