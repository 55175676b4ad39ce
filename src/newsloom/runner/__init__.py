"""Runners decide where stages run, never what they compute."""

from __future__ import annotations

from newsloom.config import Config
from newsloom.runner.local import LocalRunner, StageFactory

__all__ = ["LocalRunner", "RunnerError", "make_runner"]


class RunnerError(RuntimeError):
    """A run's distributed part failed; batches committed before the failure are kept."""


def make_runner(factory: StageFactory, config: Config):
    """The runner ``runner.kind`` names: ``LocalRunner`` or ``RayRunner`` (imports Ray only then)."""
    if config.runner.kind == "ray":
        from newsloom.runner.ray import RayRunner

        return RayRunner(factory, config)
    return LocalRunner(factory, config)
