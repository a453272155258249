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
from datetime import date

from annotator import paths
from annotator.core.errors import AnnotatorError
from annotator.core.registry_words import KINDS
from annotator.services.backup_policy import DEFAULT_KEEP_DAYS, KEEP_NEWEST

# The services (SQLAlchemy, every format, spaCy on demand) and tqdm are imported by the commands that
# use them: the window starts through this module too, and must not wait for them (benchmarks/, fig. 7).

log = logging.getLogger("annotator.cli")
MODEL_HELP = (
    "a model trained here (NAME or NAME@VERSION), 'stock', an installed pipeline or a pipeline folder "
    "(default: the project's suggestion model, else en_core_web_sm)"
)


def build_parser() -> argparse.ArgumentParser:
    # --project and --data-dir are accepted before or after the command name.
    common = argparse.ArgumentParser(add_help=False)
    _project_options(common, default=argparse.SUPPRESS)

    parser = argparse.ArgumentParser(
        prog="annotator",
        description="Annotate news articles: entities, statements and claims. Without a command, opens the window.",
    )
    parser.add_argument("--version", action=_Version, help="show the version and exit")
    _project_options(parser, default=None)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = commands.add_parser(
        "import",
        parents=[common],
        help="import articles or annotated data (Prodigy, doccano, brat, ...) from files or folders",
    )
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument(
        "--format",
        choices=_Choices(_import_formats),
        metavar="FORMAT",
        help="the files' format: %(choices)s (default: detected from each file's name and content)",
    )
    p.add_argument("--encoding", type=_encoding, help="the article files' encoding, e.g. cp1251 (default: detect it)")
    p.add_argument(
        "--add-labels", action="store_true", help="add labels the schema lacks (default: report and leave those out)"
    )
    p.add_argument(
        "--annotator",
        metavar="NAME",
        help="whose annotations the files hold where they name nobody, e.g. one member's file of a doccano export "
        "(default: nobody named)",
    )
    p.add_argument(
        "--language",
        type=_language_code,
        metavar="LANG",
        help="the documents' language (de, uk, ...) where a record names none; it chooses their pipeline "
        "(default: from the script: Hebrew letters he, Thai th ..., Latin letters the project's default language)",
    )
    p.add_argument(
        "--columns",
        type=_columns,
        metavar="ROLE=COLUMN,...",
        help="which columns of a CSV, TSV or Excel table of articles hold the text, title, date, id and metadata, "
        "e.g. text=body,title=headline,date=published,id=uid,meta=section+author (default: guessed from the "
        "header; without meta, every other column is kept as metadata)",
    )

    p = commands.add_parser(
        "merge",
        parents=[common],
        help="merge another analyst's work (their project file or native JSONL export) into the project",
        description="Their annotations, links, document labels and statuses come in under their names, onto the "
        "same documents (the same text); documents the project lacks are added. Nothing already in the project "
        "is changed, so merging the same work twice adds nothing. Labels the schema lacks are added. Bad input "
        "stops the merge, naming the file and line, and nothing is stored.",
    )
    p.add_argument("other", metavar="OTHER", help="their project file (.annotator.sqlite) or a native JSONL export")
    p.add_argument(
        "--annotator",
        metavar="NAME",
        help="you, the project's own annotator: your annotations, statuses and labels in their work are skipped, "
        "so what you changed or deleted here stays so (default: nobody's are skipped)",
    )

    p = commands.add_parser(
        "preannotate", parents=[common], help="suggest entities, statements and claims for new documents",
        description="Suggest for each document with the pipeline its language has in the project (set with "
        "'annotator models --language LANG=PIPELINE'); documents of a language without one are left out and "
        "counted. The statement and claim rules read English only.",
    )
    p.add_argument("--model", help=MODEL_HELP + "; for documents in the project's default language")
    p.add_argument(
        "--layers", type=_layers, help="suggest only these layers, e.g. entity,statement (default: all three)"
    )
    p.add_argument("--batch-size", type=_positive, default=64, help="documents saved per transaction (default: 64)")
    p.add_argument("--processes", type=_positive, default=1, help="worker processes for spaCy (default: 1)")

    p = commands.add_parser(
        "evaluate",
        parents=[common],
        help="score the suggestions against documents marked done: P/R/F1 per layer and label (nothing is stored)",
    )
    p.add_argument("--model", help=MODEL_HELP)
    p.add_argument(
        "--layers", type=_layers, help="evaluate only these layers, e.g. entity,statement (default: all three)"
    )
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")

    p = commands.add_parser(
        "agreement",
        parents=[common],
        help="inter-annotator agreement: span F1, token kappa and alpha, attributes, per pair and overall",
        description="Compare the annotators' own annotations of the same documents (see docs/agreement.md). "
        "Nothing is stored.",
    )
    p.add_argument("--layers", type=_layers, help="only these layers, e.g. statement,claim (default: all three)")
    p.add_argument(
        "--annotators", type=_names, metavar="NAMES",
        help="compare only these annotators, e.g. ana,ben (default: everyone who annotated)",
    )
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")

    p = commands.add_parser(
        "train",
        parents=[common],
        help="train suggestion models on the reviewed annotations and compare them with the model in use",
    )
    p.add_argument("--layers", type=_layers, help="train only these layers (default: every layer with annotations)")
    p.add_argument(
        "--name", help="the model's name; each run adds a version, NAME@1, NAME@2... (default: the project's)"
    )
    p.add_argument(
        "--dev",
        type=_fraction,
        default=0.2,
        metavar="FRACTION",
        help="share of documents held back to compare the new model with the one in use, the same on every run "
        "(default: 0.2; 0 trains on all and compares nothing)",
    )
    p.add_argument("--base", metavar="MODEL", help="the pipeline to start from (default: en_core_web_sm)")
    p.add_argument(
        "--documents",
        choices=("reviewed", "annotated"),
        default="reviewed",
        help="learn from the documents marked done (reviewed, the default), or from every document with an accepted "
        "or edited span of the layer (annotated: for a gold set imported whole, such as PolNeAR's brat files)",
    )
    p.add_argument("--epochs", type=_positive, help="passes over the documents (default: each layer's own)")
    p.add_argument("--use", action="store_true", help="make the new model the project's suggestion model")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")

    p = commands.add_parser(
        "models", parents=[common], help="list the suggestion models, choose the project's, delete old ones"
    )
    p.add_argument(
        "action", nargs="?", choices=("list", "use", "delete"), default="list",
        help="list (the default), use MODEL (the project's suggestion model; 'stock' for the stock pipeline), "
        "or delete MODEL",
    )
    p.add_argument("model", nargs="?", metavar="MODEL", help="NAME@VERSION, or NAME for its newest version")
    p.add_argument("--force", action="store_true", help="delete the project's own suggestion model too")
    p.add_argument(
        "--language", action="append", type=_assignment, metavar="LANG=PIPELINE", default=[],
        help="the pipeline for documents in LANG (he, ar, hi, th, hy, ...): a model trained here, 'stock', an "
        "installed pipeline, a pipeline folder, or 'none' for no suggestions; repeat for more languages. A language "
        "without one gets no suggestions, except the default language, which gets the suggestion model",
    )
    p.add_argument(
        "--default-language", metavar="LANG",
        help="the language of documents in Latin letters that name none, from the next import on (default: en)",
    )

    p = commands.add_parser("export", parents=[common], help="export the project")
    p.add_argument(
        "--format",
        choices=_Choices(_export_formats),
        default="jsonl",
        metavar="FORMAT",
        help="output format: %(choices)s (default: jsonl)",
    )
    p.add_argument("-o", "--output", required=True, help="output file (a folder for brat), or - for standard output")
    p.add_argument("--status", type=_statuses, help="only documents with these statuses, e.g. done,in_progress")
    p.add_argument("--annotator", help="only this annotator's annotations (and their status of each document)")
    p.add_argument(
        "--curated", action="store_true",
        help="only the curated (gold) version of each document (Project > Curate); where nobody curated a "
        "document, the version most of its annotators agree on",
    )
    p.add_argument("--layers", type=_layers, help="only these layers, e.g. entity,statement (default: all)")
    p.add_argument("--since", type=_day, help="only articles dated on or after this day (YYYY-MM-DD)")
    p.add_argument("--until", type=_day, help="only articles dated on or before this day (YYYY-MM-DD)")
    suggestions = p.add_mutually_exclusive_group()
    suggestions.add_argument(
        "--reviewed-only", action="store_true", help="leave out model suggestions nobody has reviewed, in any format"
    )
    suggestions.add_argument(
        "--include-suggestions",
        action="store_true",
        help="write unreviewed suggestions even to formats that cannot mark them as unreviewed (prodigy, "
        "doccano, doccano-seq, spacy, conll), where they look like checked labels; by default they are left out there",
    )
    p.add_argument(
        "--model", help="pipeline whose tokenizer Prodigy, CoNLL and spaCy exports use (default: en_core_web_sm)"
    )
    p.add_argument(
        "--dev",
        type=_fraction,
        default=0.0,
        metavar="FRACTION",
        help="spaCy: write a dev set of this share of documents too (output: a folder with train.spacy, dev.spacy)",
    )

    p = commands.add_parser("stats", parents=[common], help="count documents, spans and statuses")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")

    p = commands.add_parser(
        "assign", parents=[common], help="deal documents out to annotators, a share to several for agreement",
        description="Each selected document goes to one annotator, round-robin after a seeded shuffle so the load "
        "is even; a share (--overlap) goes to several (--per-overlap). Documents already assigned are left as "
        "they are; --replace deals again those nobody has started.",
    )
    p.add_argument("--annotators", required=True, metavar="NAMES", help="the annotators, comma-separated: ana,ben,cy")
    p.add_argument(
        "--overlap", type=_share, default=0.0, metavar="SHARE",
        help="share of the documents (0 to 1) that go to several annotators, to measure agreement (default: 0)",
    )
    p.add_argument(
        "--per-overlap", type=_positive, default=2, metavar="K", help="annotators per shared document (default: 2)"
    )
    p.add_argument(
        "--status", default="new", choices=("new", "in_progress", "done", "skipped", "open", "any"),
        help="documents whose latest status is this; open: not done or skipped; any: all (default: new)",
    )
    p.add_argument("--seed", type=int, help="the shuffle's seed: the same seed deals the same way (default: random)")
    p.add_argument(
        "--replace", action="store_true",
        help="take back the assignments of selected documents nobody has started and deal them again",
    )
    p.add_argument("--json", action="store_true", help="print JSON instead of text")

    p = commands.add_parser("backup", parents=[common], help="back the project up now (SQLite projects)")
    p.add_argument(
        "--keep-days",
        type=_positive,
        metavar="N",
        help=f"from now on keep this project's backups for N days (default: {DEFAULT_KEEP_DAYS}); "
        f"the newest {KEEP_NEWEST} are always kept",
    )
    commands.add_parser("backups", parents=[common], help="list the project's backups: time, size, documents")
    p = commands.add_parser(
        "restore",
        parents=[common],
        help="replace the project's content with a backup's (the current state is backed up first)",
    )
    p.add_argument("backup", metavar="BACKUP", help="a backup file, or its name as `annotator backups` lists it")
    p = commands.add_parser(
        "project", parents=[common], help="show or set the project's blind annotation and its curators",
        description="A blind project shows each annotator only the suggestions and their own work until "
        "curation, in the window and in their exports; its curators see and export everyone's. Without "
        "options, prints the settings.",
    )
    p.add_argument("--blind", choices=("on", "off"), help="turn blind annotation on or off")
    p.add_argument(
        "--curators", type=_name_list, metavar="NAMES",
        help="the curators, comma-separated: ana,ben (an empty string names none)",
    )
    _registry_parser(commands, common)
    return parser


def _registry_parser(commands, common: argparse.ArgumentParser) -> None:
    p = commands.add_parser(
        "registry", parents=[common], help="the registry of people, organisations and places",
        description="Entries with their aliases; mentions and speakers link to them. Links are suggested, "
        "never made unasked: `registry suggest` lists suggestions, `registry link` confirms one.",
    )
    actions = p.add_subparsers(dest="registry_action", metavar="ACTION", required=True)
    a = actions.add_parser("list", parents=[common], help="the entries with aliases and counts")
    a.add_argument("--kind", choices=KINDS, help="only entries of this kind")
    a.add_argument("--text", default="", help="only entries whose name or an alias holds this")
    a.add_argument("--json", action="store_true", help="print JSON instead of text")
    a = actions.add_parser("suggest", parents=[common], help="print suggested links (nothing is linked)")
    a.add_argument("--json", action="store_true", help="print JSON instead of text")
    a.add_argument("--limit", type=_positive, default=50, metavar="N", help="print the N surest (default: 50)")
    a = actions.add_parser("link", parents=[common], help="link spans (their ids, from suggest) to an entry")
    a.add_argument("spans", type=int, nargs="+", metavar="SPAN", help="span ids")
    where = a.add_mutually_exclusive_group(required=True)
    where.add_argument("--entry", type=int, metavar="ID", help="an existing entry")
    where.add_argument("--new", metavar="NAME", help="a new entry of this name")
    a.add_argument("--kind", choices=KINDS, help="the new entry's kind")
    a = actions.add_parser("merge", parents=[common], help="merge entries into one (aliases and links too)")
    a.add_argument("sources", type=int, nargs="+", metavar="SOURCE", help="the entries that go")
    a.add_argument("into", type=int, metavar="INTO", help="the entry that stays")
    a = actions.add_parser("rename", parents=[common], help="rename an entry (its old name stays an alias)")
    a.add_argument("entry", type=int, metavar="ID")
    a.add_argument("name", metavar="NAME")


class _Version(argparse.Action):
    """--version: the installed version, looked up only when asked (importlib.metadata is slow to import)."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None) -> None:
        super().__init__(option_strings=option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        from annotator import __version__

        print(f"Annotator {__version__}")  # on standard output, as argparse's own version action
        parser.exit()


class _Choices(list):
    """A list of choices filled on first use: the format registry imports every format."""

    def __init__(self, load: Callable[[], list[str]]) -> None:
        super().__init__()
        self._load: Callable[[], list[str]] | None = load

    def _filled(self) -> _Choices:
        if self._load is not None:
            load, self._load = self._load, None
            self.extend(load())
        return self

    def __contains__(self, value) -> bool:
        return list.__contains__(self._filled(), value)

    def __iter__(self):
        return list.__iter__(self._filled())

    def __len__(self) -> int:
        return list.__len__(self._filled())

    def __getitem__(self, index):
        return list.__getitem__(self._filled(), index)


def _import_formats() -> list[str]:
    from annotator.services.importing import FORMAT_CHOICES

    return list(FORMAT_CHOICES)


def _export_formats() -> list[str]:
    from annotator.services.formats import EXPORT_FORMATS

    return list(EXPORT_FORMATS)


def _assignment(value: str) -> tuple[str, str]:
    language, sign, pipeline = value.partition("=")
    if not sign or not language.strip() or not pipeline.strip():
        raise argparse.ArgumentTypeError(f"'{value}': expected LANG=PIPELINE, e.g. he=my-hebrew@1 or th=none")
    return language.strip(), pipeline.strip()


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got '{value}'")
    return number


def _statuses(value: str) -> frozenset[str]:
    found = frozenset(part.strip() for part in value.split(",") if part.strip())
    from annotator.core.model import Status

    known = {str(s) for s in Status}
    if not found or not found <= known:
        raise argparse.ArgumentTypeError(f"expected statuses from {', '.join(sorted(known))}, got '{value}'")
    return found


def _layers(value: str) -> frozenset:
    from annotator.core.model import Layer

    found = {part.strip() for part in value.split(",") if part.strip()}
    known = {str(layer) for layer in Layer}
    if not found or not found <= known:
        raise argparse.ArgumentTypeError(f"expected layers from {', '.join(sorted(known))}, got '{value}'")
    return frozenset(Layer(name) for name in found)


def _names(value: str) -> list[str]:
    found = list(dict.fromkeys(part.strip() for part in value.split(",") if part.strip()))
    if len(found) < 2:
        raise argparse.ArgumentTypeError(f"expected two annotators or more, separated by commas, got '{value}'")
    return found


def _name_list(value: str) -> list[str]:
    """Names separated by commas; an empty string is no names."""
    return list(dict.fromkeys(part.strip() for part in value.split(",") if part.strip()))


def _day(value: str) -> str:
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a day as YYYY-MM-DD, got '{value}'") from None


def _fraction(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if not 0.0 <= number < 1.0:
        raise argparse.ArgumentTypeError(f"expected a share between 0 and 1 such as 0.2, got '{value}'")
    return number


def _share(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if not 0.0 <= number <= 1.0:
        raise argparse.ArgumentTypeError(f"expected a share from 0 to 1 such as 0.2, got '{value}'")
    return number


def _encoding(value: str) -> str:
    try:
        codecs.lookup(value)
    except LookupError:
        raise argparse.ArgumentTypeError(f"'{value}' is not an encoding Python knows (e.g. utf-8, cp1251)") from None
    return value


COLUMN_ROLES = ("text", "title", "date", "id")


def _columns(value: str) -> dict:
    """text=body,title=headline,meta=section+author -> {"text": "body", "title": "headline", "meta": [...]}."""
    found: dict = {}
    for part in value.split(","):
        role, sign, column = (piece.strip() for piece in part.partition("="))
        # "=" in a column: roles joined by something else than a comma (text=body;title=headline)
        if role not in (*COLUMN_ROLES, "meta") or not sign or (not column and role != "meta") or role in found \
                or "=" in column:
            raise argparse.ArgumentTypeError(
                f"'{part.strip()}' in '{value}': expected ROLE=COLUMN, each role once, the roles being "
                f"{', '.join(COLUMN_ROLES)} and meta (columns joined by +), e.g. text=body,meta=section+author"
            )
        found[role] = [name.strip() for name in column.split("+") if name.strip()] if role == "meta" else column
    return found


def _language_code(value: str) -> str:
    from annotator.core.languages import checked_language

    try:
        return checked_language(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _project_options(parser: argparse.ArgumentParser, default) -> None:
    parser.add_argument(
        "--project",
        default=default,
        metavar="P",
        help="project file, project name in the data folder, or database URL (default: the default project)",
    )
    parser.add_argument("--data-dir", default=default, metavar="DIR", help="keep all data, settings and logs under DIR")
    parser.add_argument(
        "--read-only",
        action="store_true",
        default=default if default is argparse.SUPPRESS else False,
        help="open the project for reading only: search, stats and export work, changes are refused "
        "(a project file or folder that is not writable always opens so)",
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
        print(
            f"annotator: error: {type(exc).__name__}: {_one_line(exc)} (details in {paths.log_file()})",
            file=sys.stderr,
        )
        return 1


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _open(args: argparse.Namespace, create: bool = False):
    """The project ``--project`` names; a note on standard error when it opened read-only."""
    from annotator.services import projects

    project = projects.open_location(args.project, create=create, read_only=args.read_only)
    if project.read_only:
        print(
            f"annotator: note: {project.name} is open read-only ({project.read_only}): "
            "reading and exporting work, changes are refused",
            file=sys.stderr,
        )
    return project


def _import(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from annotator.services import importing

    project = _open(args, create=True)
    total = importing.count_files(args.paths, args.format)
    with tqdm(total=total, unit="file", desc="Importing", file=sys.stderr, disable=None) as bar:
        report = importing.import_paths(
            project,
            args.paths,
            progress=lambda done: bar.update(done - bar.n),
            encoding=args.encoding,
            fmt=args.format,
            add_labels=args.add_labels,
            annotator=args.annotator,
            language=args.language,
            columns=args.columns,
        )
    for line in report.duplicates:
        print(f"duplicate: {line}", file=sys.stderr)
    for problem in report.problems:
        print(f"{'warning' if problem.warning else 'problem'}: {problem}", file=sys.stderr)
    print(report.summary())
    return 0 if report.ok else 1


def _merge(args: argparse.Namespace) -> int:
    from annotator.services import merging

    project = _open(args, create=True)  # a new project can gather several analysts' work
    bar, progress = _bar("Merging")
    with bar:
        report = merging.merge(project, args.other, mine=args.annotator, progress=progress)
    print(report.text())
    return 0


def _bar(desc: str):
    """A progress bar on standard error (none when it is not a terminal) and the (done, total) callback
    that moves it."""
    from tqdm import tqdm

    bar = tqdm(unit="doc", desc=desc, file=sys.stderr, disable=None)

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.update(done - bar.n)

    return bar, progress


def _preannotate(args: argparse.Namespace) -> int:
    from annotator.services import preannotating

    project = _open(args)
    bar, progress = _bar("Pre-annotating")
    with bar:
        report = preannotating.preannotate(
            project,
            args.model,
            progress=progress,
            batch_size=args.batch_size,
            n_process=args.processes,
            layers=args.layers,
        )
    print(report.summary())
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from annotator.services import evaluating

    project = _open(args)
    bar, progress = _bar("Evaluating")
    with bar:
        evaluation = evaluating.evaluate(project, args.model, args.layers, progress=progress)
    print(json.dumps(evaluation.as_dict(), indent=2, ensure_ascii=False) if args.json else evaluation.table())
    return 0


def _agreement(args: argparse.Namespace) -> int:
    from annotator.services import agreement

    project = _open(args)
    result = agreement.agreement(project, args.layers, args.annotators)
    print(json.dumps(agreement.as_json(result), indent=2, ensure_ascii=False) if args.json else agreement.table(result))
    return 0


def _train(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from annotator.services import training

    project = _open(args)
    options = training.TrainingOptions(
        name=args.name, layers=args.layers, dev=args.dev, base=args.base, documents=args.documents,
        epochs=args.epochs, use=args.use,
    )
    bars: dict[str, tqdm] = {}

    def progress(stage: str, done: int, total: int) -> None:
        if stage not in bars:  # a bar per stage: reading, each layer's epochs, evaluating, saving
            for bar in bars.values():
                bar.close()
            bars.clear()
            bars[stage] = tqdm(total=total, desc=stage, unit="doc", file=sys.stderr, disable=None, leave=False)
        bar = bars[stage]
        bar.total = total
        bar.update(done - bar.n)

    try:
        result = training.train_elsewhere(project, options, progress=progress)
    finally:
        for bar in bars.values():
            bar.close()
    if result.cancelled:
        print(result.summary(), file=sys.stderr)
        return 1
    print(json.dumps(result.as_dict(), indent=2, ensure_ascii=False) if args.json else result.table())
    return 0


def _models(args: argparse.Namespace) -> int:
    from annotator.services import models

    if args.action == "list":
        project = _open(args)
        if args.default_language:
            print(f"Documents in Latin letters are taken to be in {models.set_default_language(project, args.default_language)}")
        for language, ref in args.language:
            choice = models.set_language_model(project, language, ref)
            print(f"Documents in {choice.language} now get their suggestions from {choice.ref or 'no pipeline'}")
        for info in models.list_models(project):
            print(info.describe())
        choices = models.language_choices(project)
        if len(choices) > 1 or any(choice.explicit for choice in choices):  # one language: nothing to choose
            print(f"Languages (default {models.default_language(project)}):")
            for choice in choices:
                print(f"  {choice.describe()}")
        return 0
    if not args.model:
        raise AnnotatorError(f"'annotator models {args.action}' needs the model: NAME@VERSION, or NAME for its newest")
    project = _open(args)
    if args.action == "use":
        info = models.use_model(project, args.model)
        print(f"{project.name} now gets its suggestions from {info.ref}")
    else:
        info = models.delete_model(args.model, project, force=args.force)
        print(f"Deleted {info.ref} ({info.path})")
    return 0


def _export(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from annotator.core.model import Layer, default_annotator
    from annotator.services import exporting, visibility

    if args.curated and args.annotator:
        raise AnnotatorError("--curated writes the gold version, which is no one annotator's: leave out --annotator")
    project = _open(args)
    only = exporting.ExportFilter(
        curated=args.curated,
        statuses=args.status or frozenset(),
        annotator=args.annotator,
        layers=args.layers or frozenset(Layer),
        since=args.since,
        until=args.until,
        suggestions=False if args.reviewed_only else True if args.include_suggestions else None,
        by=args.annotator or default_annotator(),  # who exports: in a blind project, what they get
    )
    with tqdm(unit="doc", desc="Exporting", file=sys.stderr, disable=None) as bar:
        report = exporting.export(
            project,
            args.output,
            args.format,
            progress=lambda done: bar.update(done - bar.n),
            only=only,
            model=args.model,
            dev_fraction=args.dev,
        )
    for problem in report.lost:
        print(f"lost: {problem}", file=sys.stderr)
    if visibility.restricted(project, only.by):
        print(f"annotator: note: {project.name} is blind: only {only.by}'s annotations and the suggestions were "
              "exported (a curator exports everyone's)", file=sys.stderr)
    print(report.summary(), file=sys.stderr if args.output == "-" else sys.stdout)
    return 0


def _project(args: argparse.Namespace) -> int:
    from annotator.services import visibility

    project = _open(args)
    if args.blind is not None:
        visibility.set_blind(project, args.blind == "on")
    if args.curators is not None:
        visibility.set_curators(project, args.curators)
    curators = visibility.curators(project)
    print(f"blind annotation: {'on' if visibility.is_blind(project) else 'off'}")
    print(f"curators: {', '.join(curators) if curators else 'none'}")
    return 0


def _stats(args: argparse.Namespace) -> int:
    from annotator.services import stats

    project = _open(args)
    data = stats.project_stats(project)
    if args.json:  # the dashboard's figures too (Project ▸ Dashboard draws them)
        from annotator.services.dashboard import dashboard_figures

        data["dashboard"] = dashboard_figures(project)
    print(json.dumps(data, indent=2, ensure_ascii=False) if args.json else stats.format_stats(data))
    return 0


def _assign(args: argparse.Namespace) -> int:
    from annotator.core.model import default_annotator
    from annotator.services import assigning

    project = _open(args)
    report = assigning.assign(
        project, assigning.annotator_names(args.annotators), overlap=args.overlap, per_overlap=args.per_overlap,
        status=args.status, seed=args.seed, replace=args.replace, by=default_annotator(),
    )
    print(json.dumps(report.as_dict(), indent=2, ensure_ascii=False) if args.json else report.summary())
    return 0


def _backup(args: argparse.Namespace) -> int:
    from annotator.services import backups

    report = backups.backup_location(args.project, keep_days=args.keep_days)
    print(report.summary())
    return 0


def _backups(args: argparse.Namespace) -> int:
    from annotator.services import backups

    found = backups.list_backups(args.project)
    if not found:
        print(f"No backups yet in {backups.folder_of(args.project)}")
        return 0
    for b in found:
        documents = "unreadable" if b.documents is None else f"{b.documents} document{'s' if b.documents != 1 else ''}"
        note = f"  ({b.note})" if b.note else ""
        print(f"{b.local_time}  {backups.human_size(b.size):>10}  {documents:>15}  {b.path}{note}")
    return 0


def _restore(args: argparse.Namespace) -> int:
    from annotator.services import backups

    report = backups.restore(args.project, args.backup)
    print(report.summary())
    return 0


def _registry(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from annotator.services import registry

    project = _open(args)
    action = args.registry_action
    if action == "list":
        found = registry.entries(project, kind=args.kind, text=args.text)
        if args.json:
            print(json.dumps([asdict(e) for e in found], indent=2, ensure_ascii=False))
        for e in [] if args.json else found:
            aliases = f"  (also: {', '.join(e.aliases)})" if e.aliases else ""
            print(f"{e.id:>6}  {e.kind:<6}  {e.name}{aliases}  — {e.mentions} mention(s), {e.statements} "
                  f"statement(s), {e.claims} claim(s)")
        return 0
    if action == "suggest":
        bar, progress = _bar("Reading mentions")
        with bar:
            found = registry.suggest_links(project, progress=progress)[: args.limit]
        if args.json:
            print(json.dumps([asdict(s) for s in found], indent=2, ensure_ascii=False))
        for s in [] if args.json else found:
            target = f"entry {s.entry_id}" if s.entry_id is not None else f"new {s.kind} “{s.new_name}”"
            spans = " ".join(map(str, s.span_ids))
            print(f"{s.score:.2f}  {target}  ← {' / '.join(s.texts[:3])}  ({s.reason})  spans: {spans}")
        return 0
    if action == "link":
        change = registry.confirm(project, args.spans, entry_id=args.entry, new_name=args.new, kind=args.kind)
    elif action == "merge":
        change = registry.merge(project, args.sources, args.into)
    else:
        change = registry.rename(project, args.entry, args.name)
    print(change.description)
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "import": _import,
    "merge": _merge,
    "preannotate": _preannotate,
    "evaluate": _evaluate,
    "agreement": _agreement,
    "train": _train,
    "models": _models,
    "export": _export,
    "stats": _stats,
    "assign": _assign,
    "backup": _backup,
    "backups": _backups,
    "restore": _restore,
    "project": _project,
    "registry": _registry,
}
