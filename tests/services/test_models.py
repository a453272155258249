"""The registry of suggestion models: listing, resolving, choosing per project, deleting, sweeping leftovers.

Model folders are made here with their meta alone (no spaCy pipeline): the registry reads nothing else.
"""

import os
import subprocess
import sys

import pytest

from annotator.core.errors import AnnotatorError, ModelError
from annotator.nlp.model_meta import META_FILE, write_meta
from annotator.services import models


def _model(name: str, version: int, layers=("statement",)) -> None:
    folder = models.models_dir() / name / str(version)
    folder.mkdir(parents=True)
    write_meta(folder, {"name": name, "version": version, "origin": f"{name}@{version}", "layers": list(layers),
                        "base": {"name": "en_core_web_sm", "origin": "en_core_web_sm@3.8.0"}, "project": "p",
                        "created": "2026-11-02T10:00:00+00:00"})


def test_the_list_has_the_stock_pipeline_first_then_each_version(project):
    _model("news", 1)
    _model("news", 2, ("statement", "claim"))
    _model("claims", 1, ("claim",))
    (models.models_dir() / "news" / "3").mkdir()  # no meta: not a model (an old leftover, say)

    found = models.list_models(project)

    assert found[0].stock and found[0].ref.startswith("en_core_web_sm") and found[0].in_use
    assert [m.ref for m in found[1:]] == ["claims@1", "news@1", "news@2"]
    assert found[3].layers == ("statement", "claim") and found[3].base == "en_core_web_sm@3.8.0"
    assert "stock pipeline" in found[0].describe() and "(in use)" in found[0].describe()
    assert "trained for statement, claim from en_core_web_sm@3.8.0" in found[3].describe()


def test_a_name_means_its_newest_version_and_resolves_to_its_folder(project):
    _model("news", 1)
    _model("news", 2)
    folder = models.models_dir() / "news"

    assert models.find_model("news").ref == "news@2"
    assert models.find_model("news@1").path == folder / "1"
    assert models.find_model("news@9") is None and models.find_model("nothing") is None
    assert models.resolve(project, "news") == str(folder / "2")
    assert models.resolve(project, "news@1") == str(folder / "1")
    assert models.resolve(project, "stock") is None
    assert models.resolve(project, "some_installed_package") == "some_installed_package"  # for load_pipeline
    assert models.resolve(project, None) is None  # nothing chosen: the stock pipeline


def test_use_pins_a_version_per_project(project, tmp_path):
    from annotator.store.project import open_project

    _model("news", 1)
    other = open_project(tmp_path / "other.annotator.sqlite")
    try:
        assert models.use_model(project, "news").ref == "news@1"
        _model("news", 2)  # a new run does not move the project on by itself
        assert models.chosen_model(project) == "news@1"
        assert models.resolve(project, None) == str(models.models_dir() / "news" / "1")
        assert models.chosen_model(other) is None
        assert [m.ref for m in models.list_models(project) if m.in_use] == ["news@1"]
        models.use_model(project, "stock")
        assert models.chosen_model(project) is None
        with pytest.raises(ModelError, match="no model 'nope'"):
            models.use_model(project, "nope")
    finally:
        other.close()


def test_delete_keeps_the_stock_pipeline_and_asks_before_the_one_in_use(project):
    _model("news", 1)
    _model("news", 2)
    models.use_model(project, "news@2")
    stock = models.list_models(project)[0].ref

    with pytest.raises(ModelError, match="stock pipeline, which always stays"):
        models.delete_model(stock, project)
    with pytest.raises(ModelError, match="news has several versions"):
        models.delete_model("news", project)
    with pytest.raises(ModelError, match="is this project's suggestion model"):
        models.delete_model("news@2", project)

    assert models.delete_model("news@1", project).ref == "news@1"
    assert not (models.models_dir() / "news" / "1").exists()
    models.delete_model("news@2", project, force=True)
    assert not (models.models_dir() / "news").exists()
    assert models.chosen_model(project) is None  # back to the stock pipeline


def test_a_deleted_choice_is_a_clear_error_when_suggesting(project):
    _model("news", 1)
    models.use_model(project, "news@1")
    models.delete_model("news@1")  # from elsewhere: another project's command, say

    with pytest.raises(ModelError, match="suggestion model news@1 is not in .* choose another"):
        models.resolve(project, None)


def test_names_are_checked():
    assert models.check_name("my-news_2.0") == "my-news_2.0"
    for bad in ("", "a b", "../up", "-x", "stock", "en_core_web_sm", "x" * 65):
        with pytest.raises(AnnotatorError, match="cannot name a model"):
            models.check_name(bad)


def test_default_name_is_the_projects(project):
    assert models.default_name(project) == "test"


def test_install_renames_into_place_and_takes_the_next_free_version():
    _model("news", 1)
    partial = models.partial_folder("news")
    (partial / META_FILE).write_text("{}", encoding="utf-8")

    assert models.install(partial, "news", 1) == 2  # version 1 was taken meanwhile
    assert (models.models_dir() / "news" / "2" / META_FILE).is_file() and not partial.exists()
    assert models.next_version("news") == 3


def test_sweep_removes_what_dead_runs_left_and_keeps_live_ones():
    live = models.partial_folder("news")  # this process: alive
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = models.models_dir() / f"{models.PARTIAL}{int(finished.stdout)}-news-0000"
    dead.mkdir()

    models.sweep()

    assert live.is_dir() and not dead.exists()
    assert os.getpid() == int(live.name[len(models.PARTIAL):].split("-")[0])
