"""Readers: one per input format, turning bytes into Documents (or clear Rejects)."""
