"""Dealing documents out to annotators on a real SQLite project: an even split, the overlap share, running
again, --replace keeping what was started."""

from __future__ import annotations

from collections import Counter

import pytest

from annotator.core.errors import AnnotatorError
from annotator.core.model import Document, Layer, Status
from annotator.services import annotating, assigning, projects
from annotator.store.documents import add_documents


def fill(project, n: int, first: int = 0) -> list[int]:
    reports = [Document(f"Report number {i} from the wire.", title=f"Report {i}") for i in range(first, first + n)]
    added = add_documents(project, reports)
    return [doc.id for doc in added.added]


def set_status(project, document_id: int, annotator: str, status: Status) -> None:
    schema = projects.schema_of(project)
    annotations = annotating.open_annotations(project, document_id, annotator, schema)
    annotating.save(project, annotations.set_status(status))


def loads(project) -> Counter:
    return Counter(name for names in assigning.assignees(project).values() for name in names)


@pytest.mark.parametrize("n", [10, 31, 100])
def test_every_new_document_goes_to_one_annotator_and_the_load_is_even(project, n):
    ids = fill(project, n)
    report = assigning.assign(project, ["ana", "ben", "cy"], seed=7, by="lead")
    held = assigning.assignees(project)
    assert sorted(held) == ids and all(len(names) == 1 for names in held.values())
    counts = loads(project)
    assert max(counts.values()) - min(counts.values()) <= 1 and sum(counts.values()) == n
    assert report.dealt == n and report.shared == 0 and report.selected == n
    assert {name: n_ for name, (n_, _s) in report.per_annotator.items()} == dict(counts)


@pytest.mark.parametrize(("n", "overlap", "per"), [(100, 0.2, 2), (37, 0.2, 2), (50, 0.33, 3), (9, 1.0, 2)])
def test_the_overlap_share_goes_to_several_annotators_exact_to_rounding(project, n, overlap, per):
    fill(project, n)
    report = assigning.assign(project, ["ana", "ben", "cy", "dee"], overlap=overlap, per_overlap=per, seed=3)
    held = assigning.assignees(project)
    shared = [names for names in held.values() if len(names) > 1]
    assert len(shared) == int(overlap * n + 0.5) == report.shared  # halves round up (50 × 0.33: 17)
    assert all(len(names) == per for names in shared)
    assert len(held) == n
    counts = loads(project)
    assert max(counts.values()) - min(counts.values()) <= 1
    assert sum(s for _n, s in report.per_annotator.values()) == per * report.shared


def test_the_same_seed_deals_the_same_way(tmp_path):
    dealt = []
    for name in ("one", "two"):
        project = projects.open_location(str(tmp_path / f"{name}.annotator.sqlite"))
        try:
            fill(project, 20)
            assigning.assign(project, ["ana", "ben"], overlap=0.25, seed=42)
            dealt.append(assigning.assignees(project))
        finally:
            project.close()
    assert dealt[0] == dealt[1]


def test_running_again_assigns_only_what_is_unassigned_and_says_so(project):
    fill(project, 12)
    assigning.assign(project, ["ana", "ben", "cy"], overlap=0.25, seed=1)
    before = assigning.assignees(project)
    again = assigning.assign(project, ["ana", "ben", "cy"], overlap=0.25, seed=2)
    assert assigning.assignees(project) == before
    assert again.dealt == 0 and again.left == 12
    assert "12 documents already assigned were left as they were" in again.summary()

    new = fill(project, 4, first=12)  # documents imported later: only they are dealt, to the least loaded first
    later = assigning.assign(project, ["ana", "ben", "cy"], seed=5)
    assert later.dealt == 4 and later.left == 12
    held = assigning.assignees(project)
    assert all(len(held[i]) == 1 for i in new)
    counts = loads(project)
    assert max(counts.values()) - min(counts.values()) <= 1


def test_replace_deals_the_unstarted_ones_again_and_keeps_started_documents(project):
    ids = fill(project, 9)
    assigning.assign(project, ["ana", "ben", "cy"], seed=1)
    first = assigning.assignees(project)
    started_by_status = ids[0]
    [owner] = first[started_by_status]
    set_status(project, started_by_status, owner, Status.IN_PROGRESS)
    # A document whose latest status is still new, but its annotator has begun: a span of theirs.
    started_by_span = ids[1]
    [span_owner] = first[started_by_span]
    schema = projects.schema_of(project)
    notes = annotating.open_annotations(project, started_by_span, span_owner, schema)
    annotating.save(project, notes.tag(Layer.ENTITY, "PERSON", 0, len("Report")))

    report = assigning.assign(project, ["dee", "eve"], status="open", replace=True, seed=9)
    held = assigning.assignees(project)
    assert held[started_by_status] == (owner,) and held[started_by_span] == (span_owner,)
    others = [i for i in ids if i not in (started_by_status, started_by_span)]
    assert all(set(held[i]) <= {"dee", "eve"} for i in others)
    assert report.kept_started == 2 and report.dealt == 7 and report.taken_back == 7
    counts = Counter(name for i in others for name in held[i])
    assert abs(counts["dee"] - counts["eve"]) <= 1


def test_the_status_filter_selects_by_the_latest_status(project):
    ids = fill(project, 4)
    set_status(project, ids[0], "zed", Status.DONE)
    report = assigning.assign(project, ["ana"], seed=1)  # new only, by default
    assert report.selected == 3 and ids[0] not in assigning.assignees(project)
    report = assigning.assign(project, ["ana"], status="any", seed=1)
    assert report.selected == 4 and report.dealt == 1


def test_counts_per_annotator_assigned_and_done(project):
    ids = fill(project, 4)
    assigning.assign(project, ["ana", "ben"], seed=1)
    held = assigning.assignees(project)
    ana_docs = [i for i in ids if held[i] == ("ana",)]
    set_status(project, ana_docs[0], "ana", Status.DONE)
    set_status(project, ana_docs[1], "ben", Status.DONE)  # not ben's document: does not count for him
    assert assigning.assignment_counts(project) == {"ana": (2, 1), "ben": (2, 0)}


@pytest.mark.parametrize(
    ("names", "overlap", "per", "message"),
    [([], 0.0, 2, "at least one"), (["ana"], 0.2, 2, "only 1 is named"), (["ana", "ben"], 0.2, 3, "only 2 are"),
     (["ana", "ben"], 1.5, 2, "between 0 and 1")],
)
def test_impossible_requests_are_refused_before_anything_is_stored(project, names, overlap, per, message):
    fill(project, 3)
    with pytest.raises(AnnotatorError, match=message):
        assigning.assign(project, names, overlap=overlap, per_overlap=per)
    assert assigning.assignees(project) == {}


def test_names_are_taken_each_once_without_stray_spaces():
    assert assigning.annotator_names(" ana, ben ,,ana, cy  d ") == ["ana", "ben", "cy d"]
