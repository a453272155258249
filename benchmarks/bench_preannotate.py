"""Figure 3: pre-annotation throughput with the real en_core_web_sm, against raw ``nlp.pipe``.

Twice: entities alone, with the pipeline as annotator.nlp.pipelines.load_pipeline prepares it for them
(the recogniser only), and all three layers, with the whole pipeline (statements and claims read its
parse). Each against raw ``nlp.pipe`` of the same pipeline object, the same texts, the same batch size
and number of processes. Ours is ``services.preannotating.preannotate`` on a project holding the texts:
reading them from the database, piecing, suggesting, and saving every batch.

Then the event loop: MainWindow runs its background pre-annotation on the same texts while a 10 ms
QTimer probe on the GUI thread records the longest gap between its ticks.
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import time

from common import arguments, corpus_articles, report

REPEATS = 3
BATCH = 32  # nlp.pipe's batch size in annotator.nlp.suggest
TIMEOUT = 600  # seconds the background run may take before the figure gives up on it (and fails)


def main() -> None:
    args = arguments()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["ANNOTATOR_HOME"] = str(args.data / "home-preannotate")
    words_wanted = 15_000 if args.quick else 60_000
    texts, words = [], 0
    for _title, _date, body in corpus_articles():
        texts.append(body)
        words += len(body.split())
        if words >= words_wanted:
            break

    from annotator.core.model import Document
    from annotator.nlp.pipelines import load_pipeline
    from annotator.services import preannotating, projects
    from annotator.store.documents import add_documents

    from annotator.core.model import Layer

    pipelines = {"entities": load_pipeline(), "all three layers": load_pipeline(None, set(Layer))}
    for pipeline in pipelines.values():
        list(pipeline.nlp.pipe(texts[:8], batch_size=BATCH))  # warm up: first calls allocate

    path = args.data / "preannotate.annotator.sqlite"
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    project = projects.open_location(str(path))
    add_documents(project, [Document(text=t, title=f"Article {i}") for i, t in enumerate(texts)])

    def reset() -> None:
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("DELETE FROM spans")
        conn.execute("UPDATE documents SET suggested_by = NULL, suggested_layers = 0")
        conn.close()

    def held() -> dict:
        """What the project holds, read with raw sqlite3: spans, and documents marked as suggested."""
        conn = sqlite3.connect(path)
        spans = conn.execute("SELECT count(*) FROM spans").fetchone()[0]
        suggested = conn.execute("SELECT count(*) FROM documents WHERE suggested_layers != 0").fetchone()[0]
        conn.close()
        return {"documents": suggested, "spans": spans}

    def checked(result, timed_out: bool = False) -> dict:
        """A run's report against what the project then holds; ``done``: every document was gone through,
        some spans were written, and the project holds exactly what the report says was written."""
        said = None if result is None else {"documents": result.documents, "spans": result.spans}
        holds = held()
        done = (
            result is not None
            and not result.cancelled
            and not timed_out
            and said["documents"] == len(texts)
            and said["spans"] > 0
            and holds == said
        )
        return {"done": done, "said": said, "holds": holds}

    def timed(function) -> float:
        start = time.perf_counter()
        function()
        return time.perf_counter() - start

    def throughput(pipeline, what: str, least: float) -> None:
        """Rows for one pipeline: ours against raw nlp.pipe in one and two processes, and the speed-up."""
        results: dict[tuple[str, int], list[float]] = {}
        runs: dict[int, list[dict]] = {}  # each of ours, checked
        raw_docs: dict[int, list[int]] = {}  # documents out of each raw nlp.pipe, and their entities
        raw_entities: dict[int, list[int]] = {}
        for processes in (1, 2):
            for _ in range(REPEATS):  # interleaved, so a busy moment of the machine falls on both
                out: list = []
                results.setdefault(("raw", processes), []).append(
                    timed(lambda p=processes: out.extend(pipeline.nlp.pipe(texts, batch_size=BATCH, n_process=p)))
                )
                raw_docs.setdefault(processes, []).append(len(out))
                raw_entities.setdefault(processes, []).append(sum(len(doc.ents) for doc in out))
                out.clear()
                reset()
                result: list = []
                seconds = timed(
                    lambda p=processes: result.append(preannotating.preannotate(project, pipeline=pipeline, n_process=p))
                )
                results.setdefault(("ours", processes), []).append(seconds)
                runs.setdefault(processes, []).append(checked(result[0]))
        median = {key: statistics.median(values) for key, values in results.items()}
        every_run = [run for processes in (1, 2) for run in runs[processes]]
        for processes in (1, 2):
            ours, raw = median[("ours", processes)], median[("raw", processes)]
            done = all(run["done"] for run in runs[processes]) and all(n == len(texts) for n in raw_docs[processes])
            report(
                "3",
                f"Pre-annotation of {what}, {len(texts)} articles ({words:,} words), {processes} process(es)",
                words / ours,
                f"speed ≥ {least} × raw nlp.pipe; every article gone through, its spans written",
                done and raw / ours >= least,
                unit="words/s",
                baseline=words / raw,
                baseline_name=f"raw nlp.pipe, same pipeline, texts, batch_size={BATCH}, n_process={processes}",
                ratio=raw / ours,
                ratio_kind="speed",
                documents=len(texts),
                written=[run["said"] for run in runs[processes]],
                in_project=[run["holds"] for run in runs[processes]],
                raw_documents=raw_docs[processes],
                raw_entities=raw_entities[processes],
            )
        speedup = median[("ours", 1)] / median[("ours", 2)]
        report(
            "3",
            f"Pre-annotation of {what} with 2 processes vs 1 process",
            speedup,
            "≥ 1.6 ×; every run did its work",
            all(run["done"] for run in every_run) and speedup >= 1.6,
            unit="×",
            baseline=median[("raw", 1)] / median[("raw", 2)],
            baseline_name="the same speed-up of raw nlp.pipe",
            ratio=speedup,
            ratio_kind="speed",
        )

    throughput(pipelines["entities"], "entities", 0.9)
    throughput(pipelines["all three layers"], "all three layers", 0.8)
    project.close()

    # --- the event loop during background pre-annotation ---------------------------------------------
    reset()
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from annotator.ui.application import app_settings
    from annotator.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    project = projects.open_location(str(path))
    window = MainWindow(project, app_settings())
    ended: list = []  # the run's report, or its failure
    window.owner.preannotated.connect(ended.append)
    window.owner.failed.disconnect(window._work_failed)  # a modal warning would hold this loop
    window.owner.failed.connect(lambda title, message: ended.append(f"{title}: {message}"))
    window.show()
    app.processEvents()
    clock = QElapsedTimer()
    gaps: list[float] = []
    last = [0]

    def tick() -> None:
        now = clock.elapsed()
        gaps.append(now - last[0])
        last[0] = now

    probe = QTimer()
    probe.setInterval(10)
    probe.timeout.connect(tick)
    clock.start()
    probe.start()
    started = time.perf_counter()
    window.start_background_preannotation()
    while window.preannotation is not None and time.perf_counter() - started < TIMEOUT:
        app.processEvents()
        time.sleep(0.001)
    probe.stop()
    seconds = time.perf_counter() - started
    timed_out = window.preannotation is not None
    finished = ended[0] if ended and not isinstance(ended[0], str) else None
    background = checked(finished, timed_out)
    longest = max(gaps) if gaps else float("nan")
    report(
        "3",
        "Longest GUI event-loop stall during background pre-annotation (10 ms QTimer probe)",
        longest,
        "≤ 50 ms; the run finished, every article gone through, its spans written",
        background["done"] and longest <= 50,
        unit="ms",
        baseline=10.0,
        baseline_name="the probe's interval",
        ratio=None,
        ticks=len(gaps),
        seconds=seconds,
        over_50_ms=sum(1 for g in gaps if g > 50),
        timed_out=timed_out,
        failure=ended[0] if ended and isinstance(ended[0], str) else None,
        documents=len(texts),
        written=background["said"],
        in_project=background["holds"],
    )
    window.close()
    window.workers.wait(10_000)
    project.close()


if __name__ == "__main__":
    main()
