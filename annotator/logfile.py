"""The log file: annotator.log in the platform's log folder (paths.log_file), rotated, owner-only.

Its own module because logging.handlers takes ~10 ms to import: the window imports it only once it is
on screen (benchmarks/, figure 7).
"""

from __future__ import annotations

import logging
import logging.handlers
import os

from annotator import paths

LOG_MAX_BYTES = 1_000_000
LOG_BACKUPS = 5  # annotator.log.1 ... .5 beside the current one


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Rotates like its parent; every log file it opens is readable by its owner only (logs name
    projects, articles and errors about them)."""

    def _open(self):
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        return os.fdopen(fd, self.mode, encoding=self.encoding, errors=self.errors)


def setup_logging() -> logging.Handler:
    """Log the program's messages (the "annotator" logger) to the log file, once."""
    log = logging.getLogger("annotator")
    for handler in log.handlers:
        if isinstance(handler, logging.handlers.RotatingFileHandler):
            return handler
    handler = PrivateRotatingFileHandler(
        paths.log_file(), maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(threadName)s: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    return handler
