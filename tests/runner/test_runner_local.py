from __future__ import annotations

import os
from pathlib import Path

import pytest

from newsloom.config import load_config
from newsloom.models import Document
from newsloom.runner.local import LocalRunner
from newsloom.stages.base import DocStage, check_contracts


class Upper(DocStage):
    name = "upper"
    requires = ("raw",)
    provides = ("text",)

    def setup(self) -> None:
        self.pid = os.getpid()
        self.setups = getattr(self, "setups", 0) + 1

    def process(self, docs):
        for d in docs:
            if "boom" in d.raw:
                raise ValueError("cannot handle boom")
            d.text = d.raw.upper()
            d.author = f"{self.pid}:{self.setups}"
        return docs


class NeedsLang(DocStage):
    name = "needs"
    requires = ("lang",)

    def process(self, docs):
        return docs


def factory(config):
    return [Upper(config)]


def _docs(n, bad=()):
    return [Document(source=f"d{i}", raw=("boom " if i in bad else "") + f"text number {i}") for i in range(n)]


@pytest.mark.parametrize("workers,inprocess_below", [(1, 64), (2, 1)])
def test_runner_keeps_order_and_isolates_failures(workers, inprocess_below, monkeypatch):
    # worker processes import this module by name to rebuild the stages
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[2]))
    cfg = load_config(overrides={"runner": {"workers": workers, "batch_size": 4, "inprocess_below": inprocess_below}})
    runner = LocalRunner(factory, cfg)
    out = [d for batch in runner.run(_docs(20, bad={5})) for d in batch]
    assert [d.source for d in out] == [f"d{i}" for i in range(20)]
    assert out[5].rejected == "stage upper failed: ValueError: cannot handle boom"
    assert all(d.text == d.raw.upper() for i, d in enumerate(out) if i != 5)
    assert runner.stats["upper.seen"] >= 20
    assert runner.stats["upper.failed_ValueError"] == 1
    # the model was set up once per worker process, never per batch
    assert {d.author.split(":")[1] for d in out if d.author} == {"1"}
    if workers == 2:
        assert os.getpid() not in {int(d.author.split(":")[0]) for d in out if d.author}


def test_contracts_fail_early():
    cfg = load_config()
    with pytest.raises(ValueError, match="needs.*lang"):
        check_contracts([Upper(cfg), NeedsLang(cfg)], ("raw",))
    check_contracts([Upper(cfg)], ("raw",))


def broken_factory(config):
    raise RuntimeError("model file missing")


def test_worker_setup_failure_raises_instead_of_hanging(monkeypatch):
    from concurrent.futures.process import BrokenProcessPool

    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[2]))
    cfg = load_config(overrides={"runner": {"workers": 2, "batch_size": 2, "inprocess_below": 1}})
    with pytest.raises(BrokenProcessPool):
        list(LocalRunner(broken_factory, cfg).run(_docs(6)))
