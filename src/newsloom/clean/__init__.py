"""Cleaning scraped plain text: line classification (lines), header metadata (header), the stage."""

from newsloom.clean.lines import CleanData
from newsloom.clean.stage import CleanResult, PlainTextClean, clean_text

__all__ = ["CleanData", "CleanResult", "PlainTextClean", "clean_text"]
