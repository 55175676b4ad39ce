"""Stages for the Ray runner tests, importable by name in Ray's worker processes.

``NEWSLOOM_TEST_PIDS`` (a folder, set before Ray starts) collects one file per worker process
that built the stages, so a test can find and kill an actor's process.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from newsloom.stages.base import DocStage
from toy import Toy


class Upper(DocStage):
    """text = RAW UPPER; 'boom' fails, 'stall' overruns; notes the process and its set-up count."""

    name = "upper"
    requires = ("raw",)
    provides = ("text",)

    def setup(self) -> None:
        self.setups = getattr(self, "setups", 0) + 1

    def process(self, docs):
        for d in docs:
            if "boom" in d.raw:
                raise ValueError("cannot handle boom")
            if "stall" in d.raw:  # Python work that runs long (a single C call is not interruptible)
                for _ in range(300):
                    time.sleep(0.1)
            d.text = d.raw.upper()
            d.author = f"{os.getpid()}:{self.setups}"
        return docs


def upper_stages(config):
    return [Upper(config)]


class SlowToy(Toy):
    """The toy stage, a little slow, recording its worker's pid (to be killed mid-run)."""

    def setup(self) -> None:
        folder = os.environ.get("NEWSLOOM_TEST_PIDS")
        if folder:
            Path(folder, str(os.getpid())).touch()

    def process(self, docs):
        time.sleep(0.08 * len(docs))
        docs = super().process(docs)
        folder = os.environ.get("NEWSLOOM_TEST_PIDS")
        if folder:
            with open(Path(folder, str(os.getpid())), "a", encoding="utf-8") as f:
                f.write(f"{len(docs)}\n")
        return docs


def slow_toy_stages(config):
    return [SlowToy(config)]


def broken_stages(config):
    raise RuntimeError("model file missing")
