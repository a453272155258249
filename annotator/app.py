"""Composition root: arguments -> paths -> logging -> a CLI command, or the window.

Qt is imported only when the window is wanted, so CLI commands start without it.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys

from annotator import cli, paths

log = logging.getLogger("annotator")


def main(argv: list[str] | None = None) -> int:
    args = cli.build_parser().parse_args(argv)
    if args.data_dir:
        paths.set_home(args.data_dir)
    setup_logging()
    if args.command:
        return cli.run(args)
    return run_gui(args.project)


def setup_logging() -> None:
    if log.handlers:
        return
    handler = logging.handlers.RotatingFileHandler(
        paths.log_dir() / "annotator.log", maxBytes=1_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)


def run_gui(project: str | None) -> int:
    problem = display_problem()
    if problem:
        print(f"annotator: error: {problem}", file=sys.stderr)
        return 1
    from annotator.ui.application import run

    return run(project, sys.argv[:1])


def display_problem() -> str | None:
    """Why no window can be shown here, or None. Without a display Qt aborts the process with a
    core dump; a sentence is kinder, and the commands still work."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return "no display to open the window on (DISPLAY is not set); the commands import, preannotate, export and stats work without one"
