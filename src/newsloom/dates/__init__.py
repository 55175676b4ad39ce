"""Dates: date expressions in any supported language, normalised to ISO 8601 (see extract.py)."""
