"""Headless commands. Each is a thin call of a service the GUI uses too.

Exit codes: 0 all went well; 1 an error, or input problems were reported (the rest was imported);
2 the command line itself was wrong.
"""

from __future__ import annotations

import argparse
import codecs
import json
import logging
import sys
from collections.abc import Callable

from tqdm import tqdm

from annotator import __version__, paths
from annotator.core.errors import AnnotatorError
from annotator.services import exporting, importing, preannotating, projects, stats

log = logging.getLogger("annotator.cli")


def build_parser() -> argparse.ArgumentParser:
    # --project and --data-dir are accepted before or after the command name.
    common = argparse.ArgumentParser(add_help=False)
    _project_options(common, default=argparse.SUPPRESS)

    parser = argparse.ArgumentParser(
        prog="annotator",
        description="Annotate news articles: entities, statements and claims. Without a command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"Annotator {__version__}")
    _project_options(parser, default=None)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = commands.add_parser("import", parents=[common], help="import articles (.txt, .jsonl) from files or folders")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--encoding", type=_encoding, help="the files' encoding, e.g. cp1251 (default: detect it)")

    p = commands.add_parser("preannotate", parents=[common], help="let a spaCy pipeline suggest entities")
    p.add_argument("--model", help="installed pipeline name or pipeline folder (default: en_core_web_sm)")
    p.add_argument("--batch-size", type=_positive, default=64, help="documents saved per transaction (default: 64)")
    p.add_argument("--processes", type=_positive, default=1, help="worker processes for spaCy (default: 1)")

    p = commands.add_parser("export", parents=[common], help="export the project")
    p.add_argument("--format", choices=exporting.FORMATS, default="jsonl", help="output format (default: jsonl)")
    p.add_argument("-o", "--output", required=True, help="output file, or - for standard output")

    p = commands.add_parser("stats", parents=[common], help="count documents, spans and statuses")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    return parser


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got '{value}'")
    return number


def _encoding(value: str) -> str:
    try:
        codecs.lookup(value)
    except LookupError:
        raise argparse.ArgumentTypeError(f"'{value}' is not an encoding Python knows (e.g. utf-8, cp1251)") from None
    return value


def _project_options(parser: argparse.ArgumentParser, default) -> None:
    parser.add_argument(
        "--project",
        default=default,
        metavar="P",
        help="project file, project name in the data folder, or database URL (default: the default project)",
    )
    parser.add_argument(
        "--data-dir", default=default, metavar="DIR", help="keep all data, settings and logs under DIR"
    )


def run(args: argparse.Namespace) -> int:
    handler: Callable[[argparse.Namespace], int] = COMMANDS[args.command]
    try:
        return handler(args)
    except (AnnotatorError, OSError, ValueError) as exc:
        print(f"annotator: error: {_one_line(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("annotator: interrupted; finished work was kept", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: one line here, the whole story in the log
        log.exception("command %s failed", args.command)
        print(f"annotator: error: {type(exc).__name__}: {_one_line(exc)} (details in {paths.log_dir() / 'annotator.log'})", file=sys.stderr)
        return 1


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _import(args: argparse.Namespace) -> int:
    project = projects.open_location(args.project)
    total = importing.count_files(args.paths)
    with tqdm(total=total, unit="file", desc="Importing", file=sys.stderr, disable=None) as bar:
        report = importing.import_paths(
            project, args.paths, progress=lambda done: bar.update(done - bar.n), encoding=args.encoding
        )
    for line in report.duplicates:
        print(f"duplicate: {line}", file=sys.stderr)
    for problem in report.problems:
        print(f"{'warning' if problem.warning else 'problem'}: {problem}", file=sys.stderr)
    print(report.summary())
    return 0 if report.ok else 1


def _preannotate(args: argparse.Namespace) -> int:
    project = projects.open_location(args.project, create=False)
    bar = tqdm(unit="doc", desc="Pre-annotating", file=sys.stderr, disable=None)

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.update(done - bar.n)

    with bar:
        report = preannotating.preannotate(
            project, args.model, progress=progress, batch_size=args.batch_size, n_process=args.processes
        )
    print(report.summary())
    return 0


def _export(args: argparse.Namespace) -> int:
    project = projects.open_location(args.project, create=False)
    with tqdm(unit="doc", desc="Exporting", file=sys.stderr, disable=None) as bar:
        report = exporting.export(project, args.output, args.format, progress=lambda done: bar.update(done - bar.n))
    print(report.summary(), file=sys.stderr if args.output == "-" else sys.stdout)
    return 0


def _stats(args: argparse.Namespace) -> int:
    project = projects.open_location(args.project, create=False)
    data = stats.project_stats(project)
    print(json.dumps(data, indent=2, ensure_ascii=False) if args.json else stats.format_stats(data))
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "import": _import,
    "preannotate": _preannotate,
    "export": _export,
    "stats": _stats,
}
