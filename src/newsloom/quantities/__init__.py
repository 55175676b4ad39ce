"""Quantities: numbers in any digit script or in words, with what they count (see extract.py)."""
