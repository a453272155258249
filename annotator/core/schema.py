"""The label schema: which labels exist on each layer, their colours and attribute choices.

A schema is data (a JSON file in resources/, a table in each project), never code.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.core.errors import AnnotatorError
from annotator.core.model import Layer

# Pastel backgrounds that keep black text readable; unknown labels pick from these.
FALLBACK_COLOURS = (
    "#ffd6a5", "#caffbf", "#9bf6ff", "#bdb2ff", "#ffc6ff", "#fdffb6",
    "#a0c4ff", "#ffadad", "#d0f4de", "#e4c1f9", "#fcf6bd", "#b5ead7",
)


@dataclass(frozen=True, slots=True)
class Label:
    name: str
    layer: Layer = Layer.ENTITY
    colour: str = ""
    description: str = ""


@dataclass(frozen=True, slots=True)
class Choice:
    """One label of a document label set, with the key that sets it ('' for none)."""

    name: str
    key: str = ""


@dataclass(frozen=True, slots=True)
class LabelSet:
    """Labels of the whole document: one of them (single choice) or any of them (multiple)."""

    name: str
    choices: tuple[Choice, ...] = ()
    multiple: bool = False
    description: str = ""

    @property
    def labels(self) -> list[str]:
        return [choice.name for choice in self.choices]

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "multiple": self.multiple,
            "labels": [{"name": c.name, "key": c.key} if c.key else c.name for c in self.choices],
            **({"description": self.description} if self.description else {}),
        }

    @classmethod
    def from_dict(cls, data: Any, source: str = "schema") -> LabelSet:
        if not isinstance(data, dict) or not isinstance(data.get("name"), str):
            raise AnnotatorError(f"{source}: each label set needs a 'name' and a list of 'labels'")
        items = data.get("labels", [])
        if not isinstance(items, list):
            raise AnnotatorError(f"{source}: the labels of the label set {data['name']!r} must be a list")
        choices = []
        for item in items:
            if isinstance(item, str):
                choices.append(Choice(item))
            elif isinstance(item, dict) and isinstance(item.get("name"), str):
                choices.append(Choice(item["name"], str(item.get("key") or "")))
            else:
                raise AnnotatorError(
                    f"{source}: a label of the label set {data['name']!r} is a name or {{'name', 'key'}}, "
                    f"not {item!r}"
                )
        return cls(data["name"], tuple(choices), bool(data.get("multiple", False)), str(data.get("description", "")))


@dataclass(frozen=True, slots=True)
class LabelSchema:
    labels: tuple[Label, ...] = ()
    attributes: dict[str, Any] = field(default_factory=dict)  # per layer: attribute -> choices
    # Whether an entity may sit inside another (e.g. GPE inside ORG). Crossing spans are never allowed.
    nested_entities: bool = False
    name: str = ""
    label_sets: tuple[LabelSet, ...] = ()  # labels of whole documents

    def label_set(self, name: str) -> LabelSet | None:
        return next((s for s in self.label_sets if s.name == name), None)

    def labels_of(self, layer: Layer) -> list[Label]:
        return [label for label in self.labels if label.layer == layer]

    def has_label(self, name: str, layer: Layer) -> bool:
        return any(label.name == name and label.layer == layer for label in self.labels)

    def choices(self, layer: Layer, attribute: str) -> list[str]:
        """The allowed values of one attribute of a layer (e.g. claim check-worthiness)."""
        return [str(v) for v in self.attributes.get(str(layer), {}).get(attribute, [])]

    def colour_for(self, name: str, layer: Layer = Layer.ENTITY) -> str:
        for label in self.labels:
            if label.name == name and label.layer == layer and label.colour:
                return label.colour
        return fallback_colour(name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "labels": [
                {"name": l.name, "layer": str(l.layer), "colour": l.colour, "description": l.description}
                for l in self.labels
            ],
            "attributes": self.attributes,
            "nested_entities": self.nested_entities,
            **({"name": self.name} if self.name else {}),
            **({"label_sets": [s.to_dict() for s in self.label_sets]} if self.label_sets else {}),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str = "schema") -> LabelSchema:
        try:
            labels = tuple(
                Label(
                    name=str(item["name"]),
                    layer=Layer(item.get("layer", "entity")),
                    colour=str(item.get("colour", "")),
                    description=str(item.get("description", "")),
                )
                for item in data.get("labels", [])
            )
        except (KeyError, ValueError, TypeError, AttributeError) as exc:
            raise AnnotatorError(
                f"{source}: each label needs a 'name' and a 'layer' of entity, statement or claim ({exc})"
            ) from exc
        attributes = data.get("attributes", {})
        if not isinstance(attributes, dict) or not all(isinstance(v, dict) for v in attributes.values()):
            raise AnnotatorError(f"{source}: 'attributes' must map each layer to its attributes and their choices")
        sets = data.get("label_sets", [])
        if not isinstance(sets, list):
            raise AnnotatorError(f"{source}: 'label_sets' must be a list of label sets")
        label_sets = tuple(LabelSet.from_dict(item, source) for item in sets)
        problems = label_set_problems(label_sets)
        if problems:
            raise AnnotatorError(f"{source}: {problems[0]}")
        return cls(
            labels,
            dict(attributes),
            bool(data.get("nested_entities", False)),
            str(data.get("name", "")),
            label_sets,
        )

    @classmethod
    def load(cls, path: Path) -> LabelSchema:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise AnnotatorError(f"{path}: cannot read the label schema: {exc}") from exc
        if not isinstance(data, dict):
            raise AnnotatorError(f"{path}: a label schema is a JSON object with 'labels' and 'attributes'")
        return cls.from_dict(data, str(path))


def label_name_problem(name: str, layer: Layer | str) -> str:
    """Why ``name`` cannot be a label's name ('' if it can): the schema dialog, schema files and
    imports that add labels all hold names to this."""
    if not name.strip():
        return f"a {layer} label has no name; give every label a name"
    if name != name.strip() or any(ch in name for ch in "\r\n\t"):
        return f"the {layer} label {name!r} must be one line without surrounding spaces"
    return ""


def label_set_problems(
    label_sets: tuple[LabelSet, ...] | list[LabelSet], taken_keys: frozenset[str] = frozenset()
) -> list[str]:
    """What is wrong with these label sets (names as label_name_problem says, no doubles, keys one
    character that no other label or command of the window uses): empty when they can be saved."""
    problems: list[str] = []
    seen_sets: set[str] = set()
    keys: dict[str, str] = {}
    for label_set in label_sets:
        problem = label_name_problem(label_set.name, "label set")
        if problem:
            problems.append(problem)
        elif label_set.name in seen_sets:
            problems.append(f"there are two label sets named {label_set.name!r}")
        seen_sets.add(label_set.name)
        if not label_set.choices:
            problems.append(f"the label set {label_set.name!r} has no labels")
        names: set[str] = set()
        for choice in label_set.choices:
            problem = label_name_problem(choice.name, "document")
            if problem:
                problems.append(problem)
            elif choice.name in names:
                problems.append(f"the label set {label_set.name!r} has the label {choice.name!r} twice")
            names.add(choice.name)
            if not choice.key:
                continue
            where = f"{label_set.name}: {choice.name}"
            if len(choice.key) != 1 or not choice.key.isprintable() or choice.key.isspace():
                problems.append(f"the key of {where!r} must be one character, not {choice.key!r}")
            elif choice.key.lower() in taken_keys:
                problems.append(f"the key {choice.key!r} of {where!r} is already a command or an entity key")
            elif choice.key.lower() in keys:
                problems.append(f"the key {choice.key!r} is given to both {keys[choice.key.lower()]!r} and {where!r}")
            keys[choice.key.lower()] = where
    return problems


def fallback_colour(name: str) -> str:
    """A stable colour for a label the schema does not know: same name, same colour, every run."""
    digest = hashlib.blake2s(name.encode("utf-8", "surrogatepass"), digest_size=2).digest()
    return FALLBACK_COLOURS[int.from_bytes(digest, "big") % len(FALLBACK_COLOURS)]
