"""Composition root: arguments -> paths -> logging -> a CLI command, or the window.

Qt is imported only when the window is wanted, so CLI commands start without it.
"""

from __future__ import annotations

import faulthandler
import logging
import os
import sys

from annotator import cli, paths

log = logging.getLogger("annotator")


def main(argv: list[str] | None = None) -> int:
    if getattr(sys, "frozen", False):
        prepare_frozen()
    parser = cli.build_parser()
    parser.add_argument(
        "--self-test",
        nargs="?",
        const="",
        metavar="FOLDER",
        help="check that this installation works, offline: a temporary project, migrations, import, "
        "pre-annotation, export and the window rendered offscreen; keeps its files in FOLDER if given",
    )
    args = parser.parse_args(argv)
    if args.self_test is not None:
        from annotator import selftest

        # The self-test sets its own data folder, so the user's projects, settings and log stay untouched.
        return selftest.run(args.self_test or None, setup_logging)
    if args.data_dir:
        paths.set_home(args.data_dir)
    if args.command:
        setup_logging()
        return cli.run(args)
    return run_gui(args.project, args.read_only)


def prepare_frozen() -> None:
    """What the PyInstaller bundle needs before anything else runs."""
    import multiprocessing

    # spaCy's n_process > 1 starts worker processes: in a frozen app they re-run this executable,
    # which must then act as the worker, not open a second window.
    multiprocessing.freeze_support()
    # A windowed executable (Windows, macOS) has no console: print() to None would raise.
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))


def setup_logging() -> logging.Handler:
    from annotator import logfile

    return logfile.setup_logging()


def run_gui(project: str | None, read_only: bool = False) -> int:
    problem = display_problem()
    if problem:
        print(f"annotator: error: {problem}", file=sys.stderr)
        return 1
    enable_crash_log()
    from annotator.ui.application import run

    # The log file is set up once the first window is on screen: importing its handler costs ~10 ms.
    return run(project, sys.argv[:1], prepare=setup_logging, read_only=read_only)


def enable_crash_log() -> None:
    """A hard crash (in Qt's or spaCy's native code) cannot reach the log; Python's fault handler writes
    its tracebacks to crash.log beside it instead, so a window that vanished still leaves a trace."""
    fd = os.open(paths.log_dir() / "crash.log", os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    faulthandler.enable(os.fdopen(fd, "a", encoding="utf-8"), all_threads=True)


def display_problem() -> str | None:
    """Why no window can be shown here, or None. Without a display Qt aborts the process with a
    core dump; a sentence is kinder, and the commands still work."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return (
        "no display to open the window on (DISPLAY is not set); "
        "the commands import, preannotate, export, stats and backup work without one"
    )
