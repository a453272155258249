"""Composition root: arguments -> paths -> logging -> a CLI command, or the window.

Qt is imported only when the window is wanted, so CLI commands start without it.
"""

from __future__ import annotations

import logging
import logging.handlers
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
    from annotator.ui.application import run

    return run(project, sys.argv[:1])
