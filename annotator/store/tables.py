"""The tables, as SQLAlchemy Core. Migrations create them; tests check the two agree.

Core, not the ORM: bulk inserts run about twice as fast (226k against 111k rows/s), and the repository
turns rows into core objects anyway.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

documents = Table(
    "documents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("uid", String(64), nullable=False, unique=True),
    Column("text", Text, nullable=False),
    Column("title", Text, nullable=False, default=""),
    Column("date", String(32)),
    Column("source", Text, nullable=False, default=""),
    Column("meta", JSON, nullable=False, default=dict),
    Column("content_hash", String(64), nullable=False, unique=True),
    Column("status", String(16), nullable=False, default="new"),
    Column("suggested_by", Text),
    Column("suggested_layers", Integer, nullable=False, default=0, server_default="0"),  # core.model.layer_bits
    Column("language", String(16)),  # core.languages: the source's own, else guessed from the script (0007)
    Column("created", DateTime(timezone=True), nullable=False),
    Column("updated", DateTime(timezone=True), nullable=False),
    Index("ix_documents_language", "language"),
)

spans = Table(
    "spans",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("uid", String(64), nullable=False, unique=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("layer", String(16), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("label", Text, nullable=False),
    Column("attributes", JSON, nullable=False, default=dict),
    Column("origin", Text, nullable=False, default=""),
    Column("state", String(16), nullable=False),
    Column("annotator", Text),
    Column("created", DateTime(timezone=True), nullable=False),
    Column("updated", DateTime(timezone=True), nullable=False),
    Index("ix_spans_document_layer_start", "document_id", "layer", "start"),
    Index("ix_spans_layer_label_state", "layer", "label", "state"),  # counts by label (0010, store/stats.py)
    # And ix_spans_review, suggested spans by their model's uncertainty: an expression over the JSON that
    # differs by dialect, so migration 0006 makes it (store/review.py's queries match it).
    # By uid: the uid column's unique index (migration 0005 dropped a second one, on document and uid).
)

# Each annotator's own status of a document; documents.status keeps the latest anyone set.
document_statuses = Table(
    "document_statuses",
    metadata,
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("annotator", Text, primary_key=True),
    Column("status", String(16), nullable=False),
    Column("updated", DateTime(timezone=True), nullable=False),
    Index("ix_document_statuses_annotator", "annotator", "status"),
)

# Labels of whole documents, each person's own (annotator '' when the source named nobody: a key
# column cannot be NULL). Keyed by set and label name, like spans by layer and label.
document_labels = Table(
    "document_labels",
    metadata,
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("label_set", Text, primary_key=True),
    Column("label", Text, primary_key=True),
    Column("annotator", Text, primary_key=True, default=""),
    Column("origin", Text, nullable=False, default=""),
    Column("created", DateTime(timezone=True), nullable=False),
    Index("ix_document_labels_set_label", "label_set", "label"),
)

# Who is to annotate which document (migration 0008): one row per person, a shared document has two or
# more. assigned_by: who dealt it out (the login or annotator name of whoever ran the assignment).
document_assignments = Table(
    "document_assignments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("annotator", Text, nullable=False),
    Column("assigned_at", DateTime(timezone=True), nullable=False),
    Column("assigned_by", Text, nullable=False),
    UniqueConstraint("document_id", "annotator", name="uq_document_assignments_document_annotator"),
    Index("ix_document_assignments_annotator", "annotator"),
)

# Who has which document open now (migration 0009): one row per open window (``session``, made by the
# window), confirmed by its heartbeat (``seen``) and deleted when it closes; an old row counts as gone.
# document_id is NULL while the window shows no document.
presence = Table(
    "presence",
    metadata,
    Column("session", String(64), primary_key=True),
    Column("annotator", Text, nullable=False),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE")),
    Column("seen", DateTime(timezone=True), nullable=False),
    Index("ix_presence_document", "document_id"),
)

relations = Table(
    "relations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("uid", String(64), nullable=False, unique=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("head_span_id", Integer, ForeignKey("spans.id", ondelete="CASCADE"), nullable=False),
    Column("tail_span_id", Integer, ForeignKey("spans.id", ondelete="CASCADE"), nullable=False),
    Column("label", Text, nullable=False),
    Column("attributes", JSON, nullable=False, default=dict),
    Index("ix_relations_document", "document_id"),
    # Who said a statement, and which claims it holds, from the span's side (the registry: migration 0011).
    Index("ix_relations_tail_label", "tail_span_id", "label"),
)

# The registry (migration 0011): one entry per person, organisation or place, with the other names it goes
# by, and the spans a person confirmed as naming it (suggestions are computed, never stored). ``key`` is
# core.registry.key of the alias, what matching looks up.
registry_entries = Table(
    "registry_entries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("uid", String(64), nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("created", DateTime(timezone=True), nullable=False),
    Column("updated", DateTime(timezone=True), nullable=False),
    # Its links, counted by triggers on registry_links (0011): never written from Python.
    Column("mentions", Integer, nullable=False, server_default="0"),
)

registry_aliases = Table(
    "registry_aliases",
    metadata,
    Column("entry_id", Integer, ForeignKey("registry_entries.id", ondelete="CASCADE"), primary_key=True),
    Column("alias", Text, primary_key=True),
    Column("key", Text, nullable=False),
    Index("ix_registry_aliases_key", "key"),
)

registry_links = Table(
    "registry_links",
    metadata,
    Column("span_id", Integer, ForeignKey("spans.id", ondelete="CASCADE"), primary_key=True),
    Column("entry_id", Integer, ForeignKey("registry_entries.id", ondelete="CASCADE"), nullable=False),
    Column("annotator", Text),
    Column("created", DateTime(timezone=True), nullable=False),
    Index("ix_registry_links_entry", "entry_id", "span_id"),
)

labels = Table(
    "labels",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("layer", String(16), nullable=False),
    Column("name", Text, nullable=False),
    Column("colour", String(16), nullable=False, default=""),
    Column("description", Text, nullable=False, default=""),
    Column("position", Integer, nullable=False, default=0),
    UniqueConstraint("layer", "name", name="uq_labels_layer_name"),
)

# The schema's document label sets; their labels (name and key) in order, as JSON.
label_sets = Table(
    "label_sets",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False, unique=True),
    Column("multiple", Boolean, nullable=False, default=False),
    Column("labels", JSON, nullable=False, default=list),
    Column("description", Text, nullable=False, default=""),
    Column("position", Integer, nullable=False, default=0),
)

annotators = Table(
    "annotators",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False, unique=True),
)

settings = Table(
    "settings",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", JSON),
)
