"""Fail the build when the bundle is over its size budget.

    python packaging/check_size.py dist/Annotator [--max-mb 300]

The size counted is what the folder takes on disk unpacked (files, not the compressed archive), in
MB of 1,000,000 bytes. Symbolic links count once, as links. Prints the largest parts to show where
the weight is.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

BUDGET_MB = 300


def sizes(folder: Path) -> dict[Path, int]:
    found = {}
    for root, _dirs, files in os.walk(folder):
        for name in files:
            path = Path(root) / name
            found[path] = path.lstat().st_size
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", type=Path)
    parser.add_argument("--max-mb", type=float, default=BUDGET_MB)
    args = parser.parse_args(argv)
    if not args.bundle.exists():
        parser.error(f"{args.bundle} does not exist")
    found = sizes(args.bundle)
    total = sum(found.values()) / 1e6
    parts: dict[str, int] = {}
    base = args.bundle / "_internal" if (args.bundle / "_internal").is_dir() else args.bundle
    for path, size in found.items():
        try:
            top = path.relative_to(base).parts[0]
        except ValueError:
            top = path.relative_to(args.bundle).parts[0]
        parts[top] = parts.get(top, 0) + size
    largest = sorted(parts.items(), key=lambda kv: -kv[1])[:8]
    print("largest parts: " + ", ".join(f"{name} {size / 1e6:.0f} MB" for name, size in largest))
    verdict = "within" if total <= args.max_mb else "OVER"
    print(f"bundle size: {total:.1f} MB in {len(found)} files, {verdict} the budget of {args.max_mb:g} MB")
    return 0 if total <= args.max_mb else 1


if __name__ == "__main__":
    sys.exit(main())
