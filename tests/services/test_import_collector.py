"""The cycle collector is held off while an import builds its batches (1.5 million small objects for
doccano's 5,000-article file: 0.6-1.0 s of collections), and is back as it was after, whatever happened:
the collector is the whole program's (the window's too), not the import's."""

from __future__ import annotations

import gc
import threading

import orjson
import pytest

from annotator.core.collecting import cycle_collection_paused
from annotator.services.importing import import_paths


def doccano_file(folder, count=3):
    path = folder / "doccano.jsonl"
    path.write_bytes(b"".join(
        orjson.dumps({"text": f"Lavrov spoke in Geneva {i}.", "label": [[0, 6, "PERSON"]]}) + b"\n"
        for i in range(count)
    ))
    return path


@pytest.fixture
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    (gc.enable if was else gc.disable)()


def test_an_import_runs_with_the_collector_off_and_turns_it_back_on(project, tmp_path, collector_on):
    seen = []
    report = import_paths(project, [doccano_file(tmp_path)], progress=lambda files: seen.append(gc.isenabled()))
    assert report.added == 3 and report.spans == 3
    assert seen == [False]
    assert gc.isenabled()


def test_a_failed_import_still_turns_it_back_on(project, tmp_path, collector_on):
    def fail(files):
        raise RuntimeError("the window went away")

    with pytest.raises(RuntimeError):
        import_paths(project, [doccano_file(tmp_path)], progress=fail)
    assert gc.isenabled()


def test_an_import_leaves_it_off_if_it_was_off(project, tmp_path, collector_on):
    gc.disable()
    import_paths(project, [doccano_file(tmp_path)])
    assert not gc.isenabled()


def test_two_jobs_at_once_turn_it_back_on_when_the_last_ends(collector_on):
    first_in, second_done = threading.Event(), threading.Event()
    seen = {}

    def first():
        with cycle_collection_paused():
            first_in.set()
            second_done.wait(5)
            seen["first, after the second ended"] = gc.isenabled()

    thread = threading.Thread(target=first)
    thread.start()
    first_in.wait(5)
    with cycle_collection_paused():
        seen["second"] = gc.isenabled()
    second_done.set()
    thread.join(5)
    assert seen == {"second": False, "first, after the second ended": False}
    assert gc.isenabled()


def test_a_pause_that_ends_first_leaves_the_collector_off_for_the_one_still_running(collector_on):
    """An article opened on the window's thread while an import runs on a worker: the import keeps its pause."""
    import_in, opened_done, seen = threading.Event(), threading.Event(), {}

    def an_import():
        with cycle_collection_paused():
            import_in.set()
            opened_done.wait(5)
            seen["import, after the article opened"] = gc.isenabled()

    opening = cycle_collection_paused()
    opening.__enter__()  # the article opens first
    thread = threading.Thread(target=an_import)
    thread.start()
    import_in.wait(5)
    opening.__exit__(None, None, None)  # and is done while the import still runs
    opened_done.set()
    thread.join(5)
    assert seen == {"import, after the article opened": False}
    assert gc.isenabled()
