"""Runners decide where stages run, never what they compute."""

from newsloom.runner.local import LocalRunner

__all__ = ["LocalRunner"]
