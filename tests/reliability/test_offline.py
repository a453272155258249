"""Offline: import, pre-annotation with the real en_core_web_sm pipeline, export and the window all work
with the network disabled, and none of them even tries to reach it.

In this process the socket functions are replaced and an audit hook watches every socket event (which also
catches code that kept its own reference to socket.create_connection, or an ssl socket); any attempt is
recorded, refused, and fails the test even if the code under test swallowed the error. The command line
runs in child processes with the same guard installed by a sitecustomize module before anything else.
Unix-domain sockets (local only) are let through.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
from contextlib import contextmanager
from pathlib import Path

import orjson
import pytest

ARTICLES = {
    "lavrov.txt": "date 2021-01-13 Lavrov in Yerevan\n\nSergey Lavrov met Armenian officials in Yerevan on "
    "Wednesday. The Russian Foreign Ministry said talks would continue in Moscow next month.\n",
    "wheat.txt": "date 2026-04-14 Wheat prices\n\nWheat prices rose 12% on Monday as Elena Varga of the "
    "European Commission spoke in Brussels about exports from Ukraine.\n",
    "batch.jsonl": orjson.dumps({"text": "Angela Merkel visited Paris 😀 to meet Emmanuel Macron."}).decode()
    + "\n"
    + orjson.dumps({"text": "Google opened an office in Nairobi, Kenya, in March 2020."}).decode()
    + "\n",
}
LATE_ARTICLE = "Joe Biden spoke with Olaf Scholz in Berlin on Tuesday about NATO."


class NetworkGuard:
    """Refuses and records every attempt to reach the network while ``on``."""

    LOOKUPS = {"socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr", "socket.getnameinfo"}
    SENDS = {"socket.connect", "socket.sendto", "socket.sendmsg"}

    def __init__(self) -> None:
        self.on = False
        self.attempts: list[str] = []

    def refuse(self, what: str) -> None:
        self.attempts.append(what)
        raise OSError(f"network disabled by the test: {what}")

    def audit(self, event: str, args: tuple) -> None:
        if not self.on or not event.startswith("socket."):
            return
        if event in self.LOOKUPS:
            self.refuse(f"{event}{args!r}")
        elif event in self.SENDS and not _local(args[0]):
            self.refuse(f"{event}{args[1:]!r}")


def _local(sock) -> bool:
    return getattr(socket, "AF_UNIX", None) is not None and sock.family == socket.AF_UNIX


GUARD = NetworkGuard()
_hooked = False


@contextmanager
def network_disabled(monkeypatch):
    global _hooked
    if not _hooked:
        sys.addaudithook(GUARD.audit)  # hooks cannot be removed: it only acts while GUARD.on
        _hooked = True
    original_connect, original_connect_ex = socket.socket.connect, socket.socket.connect_ex

    def connect(self, address):
        if not _local(self):
            GUARD.refuse(f"socket.connect({address!r})")
        return original_connect(self, address)

    def connect_ex(self, address):
        if not _local(self):
            GUARD.refuse(f"socket.connect_ex({address!r})")
        return original_connect_ex(self, address)

    def refused(name):
        return lambda *args, **kwargs: GUARD.refuse(f"socket.{name}{args!r}")

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    for name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr"):
        monkeypatch.setattr(socket, name, refused(name))
    GUARD.attempts.clear()
    GUARD.on = True
    try:
        yield GUARD
    finally:
        GUARD.on = False


@pytest.fixture
def offline(monkeypatch):
    with network_disabled(monkeypatch) as guard:
        yield guard
    assert guard.attempts == [], "the network was reached for:\n" + "\n".join(guard.attempts)


def _articles(folder: Path) -> Path:
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_the_guard_catches_every_way_out(monkeypatch):
    """The harness itself: each of these would reach the network, and each is refused and recorded."""
    import http.client
    import urllib.request

    with network_disabled(monkeypatch) as guard:
        attempts = [
            lambda: socket.create_connection(("93.184.216.34", 80), timeout=1),
            lambda: socket.getaddrinfo("example.com", 443),
            lambda: socket.gethostbyname("example.com"),
            lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM).connect(("127.0.0.1", 9)),
            lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM).connect_ex(("127.0.0.1", 9)),
            lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x", ("127.0.0.1", 9)),
            lambda: urllib.request.urlopen("http://127.0.0.1:9/", timeout=1),
            lambda: http.client.HTTPConnection("127.0.0.1", 9, timeout=1).request("GET", "/"),
        ]
        for attempt in attempts:
            with pytest.raises(OSError):
                attempt()
        caught = len(guard.attempts)
        guard.attempts.clear()
        # Local sockets are not the network.
        left, right = socket.socketpair()
        left.close(), right.close()
    assert caught >= len(attempts) and guard.attempts == []


@pytest.mark.model
def test_import_preannotate_export_and_the_window_work_offline(tmp_path, qtbot, offline):
    from annotator.nlp.pipelines import load_pipeline
    from annotator.services import exporting, importing, preannotating, projects
    from annotator.services.documents import list_documents, load_document
    from annotator.ui.application import app_settings
    from annotator.ui.main_window import MainWindow

    project = projects.open_location(str(tmp_path / "offline.annotator.sqlite"))
    try:
        report = importing.import_paths(project, [_articles(tmp_path / "in")])
        assert (report.added, report.problems) == (4, [])

        pipeline = load_pipeline()  # the real default, en_core_web_sm, loaded with the network off
        assert "core_web_sm" in pipeline.origin
        suggested = preannotating.preannotate(project, pipeline=pipeline)
        assert suggested.documents == 4 and suggested.spans >= 8
        found = {
            load_document(project, s.id).document.text[span.start : span.end]
            for s in list_documents(project)
            for span in load_document(project, s.id).spans
        }
        assert {"Sergey Lavrov", "Yerevan", "Emmanuel Macron", "Nairobi"} <= found

        for fmt, name in (("jsonl", "out.jsonl"), ("conll", "out.conll"), ("spacy", "out.spacy")):
            written = exporting.export(project, tmp_path / name, fmt)  # CoNLL and DocBin load spaCy's tokenizer
            assert written.documents == 4 and (tmp_path / name).stat().st_size > 0
        lines = (tmp_path / "out.jsonl").read_bytes().splitlines()
        assert sum(len(orjson.loads(line)["entities"]) for line in lines) == suggested.spans

        # A late article, suggested for by the window's own background pre-annotation.
        (tmp_path / "late.jsonl").write_text(orjson.dumps({"text": LATE_ARTICLE}).decode() + "\n", encoding="utf-8")
        assert importing.import_paths(project, [tmp_path / "late.jsonl"]).added == 1

        window = MainWindow(project, app_settings(), model=None)  # the default pipeline again, in a worker
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        assert window.article.document is not None
        assert window.article.editor.toPlainText() == window.article.document.text
        window.start_background_preannotation()
        qtbot.waitUntil(lambda: window.preannotation is None, timeout=60_000)
        # The late article gets all three layers; the four before, suggested for by the entity-only pipeline,
        # get their statements and claims.
        assert "suggested in 5 document(s)" in window.statusBar().currentMessage()
        late = next(s for s in list_documents(project) if s.title.startswith("Joe Biden"))
        window.open_document(late.id)
        assert window.article.editor.toPlainText() == LATE_ARTICLE
        shown = {LATE_ARTICLE[p.span.start : p.span.end] for p in window.article.highlighter.spans_between(0, 10_000)}
        assert {"Joe Biden", "Berlin"} <= shown
        window.close()
    finally:
        project.close()


SITECUSTOMIZE = textwrap.dedent(
    '''
    """Installed first in each child process by the offline test: no network, every attempt written down."""
    import os
    import socket
    import sys

    _LOG = os.environ["ANNOTATOR_TEST_NETWORK_LOG"]


    def _local(sock):
        return getattr(socket, "AF_UNIX", None) is not None and sock.family == socket.AF_UNIX


    def _refuse(what):
        with open(_LOG, "a", encoding="utf-8") as log:
            log.write(f"{os.getpid()} {what}\\n")
        raise OSError(f"network disabled by the test: {what}")


    def _audit(event, args):
        if event in ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr", "socket.getnameinfo"):
            _refuse(f"{event}{args!r}")
        elif event in ("socket.connect", "socket.sendto", "socket.sendmsg") and not _local(args[0]):
            _refuse(f"{event}{args[1:]!r}")


    sys.addaudithook(_audit)
    for _name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr"):
        setattr(socket, _name, lambda *args, _name=_name, **kwargs: _refuse(f"socket.{_name}{args!r}"))
    with open(os.environ["ANNOTATOR_TEST_ARMED_LOG"], "a", encoding="utf-8") as armed:
        armed.write(f"{os.getpid()}\\n")
    '''
)


@pytest.mark.model
def test_the_command_line_imports_preannotates_and_exports_offline(tmp_path):
    guard = tmp_path / "guard"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    network_log, armed_log = tmp_path / "network.log", tmp_path / "armed.log"
    env = dict(os.environ)
    env.update(
        PYTHONPATH=os.pathsep.join(filter(None, [str(guard), env.get("PYTHONPATH")])),
        ANNOTATOR_TEST_NETWORK_LOG=str(network_log),
        ANNOTATOR_TEST_ARMED_LOG=str(armed_log),
        QT_QPA_PLATFORM="offscreen",
    )
    project = str(tmp_path / "cli.annotator.sqlite")
    folder = _articles(tmp_path / "in")

    def annotator(*args: str) -> subprocess.CompletedProcess:
        done = subprocess.run(
            [sys.executable, "-m", "annotator", *args], capture_output=True, text=True, env=env, timeout=300
        )
        assert done.returncode == 0, f"annotator {' '.join(args)} failed:\n{done.stderr[-2000:]}"
        return done

    assert "4 documents imported" in annotator("import", str(folder), "--project", project).stdout
    preannotated = annotator("preannotate", "--project", project).stdout  # the default en_core_web_sm
    assert "suggested in 4 document(s) by" in preannotated and "core_web_sm" in preannotated
    annotator("export", "--project", project, "-o", str(tmp_path / "out.jsonl"))
    # The model's suggestions, unreviewed: CoNLL cannot mark them, so they go only when asked for.
    conll = str(tmp_path / "out.conll")
    annotator("export", "--project", project, "--format", "conll", "--include-suggestions", "-o", conll)
    annotator("stats", "--project", project)

    records = [orjson.loads(line) for line in (tmp_path / "out.jsonl").read_bytes().splitlines()]
    assert len(records) == 4 and sum(len(r["entities"]) for r in records) >= 8
    assert (tmp_path / "out.conll").read_text(encoding="utf-8").count("B-PERSON") >= 3
    assert len(armed_log.read_text().split()) >= 5, "the guard was not installed in every command"
    assert not network_log.exists(), "the network was reached for:\n" + network_log.read_text()
