from annotator import paths
from annotator.services import projects
from annotator.services.documents import list_documents


def test_default_project_gets_the_schema_and_demo_articles_once():
    project = projects.open_location(None)
    assert project.path == paths.default_project()
    assert project.path.parent == paths.data_dir()
    assert projects.schema_of(project).colour_for("PERSON") == "#ffc98b"
    report = projects.add_demo_articles(project)
    assert report.problems == [] and report.added >= 3
    titles = [s.title for s in list_documents(project)]
    assert len(titles) == report.added and all(titles)
    assert projects.add_demo_articles(project) is None  # never again, even if the user deletes them
    project.close()


def test_other_projects_get_no_demo_articles(tmp_path):
    project = projects.open_location(str(tmp_path / "mine.annotator.sqlite"))
    assert projects.add_demo_articles(project) is None
    assert list_documents(project) == []
    project.close()


def test_project_names_paths_and_urls(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert paths.project_location("news") == str(paths.data_dir() / "news.annotator.sqlite")
    assert paths.project_location("here.sqlite") == str(tmp_path / "here.sqlite")
    assert paths.project_location("postgresql://u@host/db") == "postgresql://u@host/db"
    assert paths.project_location(None) == str(paths.default_project())


def test_annotator_home_moves_every_folder(annotator_home):
    for folder in (paths.data_dir(), paths.config_dir(), paths.log_dir()):
        assert annotator_home in folder.parents


def test_a_default_project_that_already_has_articles_gets_no_demos(tmp_path):
    from annotator.services.importing import import_paths

    (tmp_path / "mine.txt").write_text("My own article about Lavrov.", encoding="utf-8")
    project = projects.open_location(None)
    import_paths(project, [tmp_path / "mine.txt"])  # as `annotator import` does before any window
    assert projects.add_demo_articles(project) is None
    assert [s.title for s in list_documents(project)] == ["mine"]
    project.close()
