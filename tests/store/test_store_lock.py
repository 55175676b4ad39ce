"""The run lock on each engine: one run at a time, a second one says so and waits; a lock held is
visible to readers (``run_in_progress``) and goes with its holder."""

from __future__ import annotations

import threading
import time

from newsloom.store import open_store
from newsloom.store.lock import run_in_progress, run_lock


def test_a_second_run_waits_for_the_first(store_location):
    with open_store(store_location):
        pass  # the store exists (PostgreSQL: the schema)
    notices: list[str] = []
    order: list[str] = []
    assert not run_in_progress(store_location)
    with run_lock(store_location):
        assert run_in_progress(store_location)

        def second() -> None:
            with run_lock(store_location, notices.append):
                order.append("second")

        t = threading.Thread(target=second)
        t.start()
        deadline = time.monotonic() + 20
        while not notices and time.monotonic() < deadline:
            time.sleep(0.05)
        assert notices and "another newsloom run is writing" in notices[0]
        time.sleep(0.3)
        assert order == []  # still waiting
        order.append("first")
    t.join(20)
    assert order == ["first", "second"]
    assert not run_in_progress(store_location)


def test_runs_left_running_without_the_lock_show_as_died(store_location):
    with open_store(store_location) as store:
        run = store.begin_run(["x"])  # a run whose process died: no lock held
        assert [r["status"] for r in store.runs()] == ["died"]
        with run_lock(store_location):
            assert store.close_dead_runs() == 1
        assert [r["run_id"] for r in store.runs() if r["status"] == "died"] == [run]
