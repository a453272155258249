"""New ids: unique, 32 hex digits like the uuid4().hex they replaced, and never repeated by a fork."""

from __future__ import annotations

import os
import re

import pytest

from annotator.core.model import Span, new_uid


def test_ids_are_unique_hex_of_the_stored_length():
    made = [new_uid() for _ in range(100_000)] + [Span(0, 1, "x").uid for _ in range(1_000)]
    assert len(set(made)) == len(made)
    assert all(re.fullmatch(r"[0-9a-f]{32}", uid) for uid in made)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this system")
def test_a_forked_process_does_not_make_the_ids_its_parent_makes_next():
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # the child: its next ids, then out without running pytest's exit handlers
        os.write(write, " ".join(new_uid() for _ in range(3)).encode())
        os._exit(0)
    os.close(write)
    os.waitpid(child, 0)
    theirs = set(os.read(read, 1_000).decode().split())
    os.close(read)
    ours = {new_uid() for _ in range(3)}
    assert len(theirs) == 3
    assert not theirs & ours
