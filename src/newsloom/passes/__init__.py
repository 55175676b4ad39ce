"""Whole-corpus passes: work that needs many documents at once, reading and writing the store."""
