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
class LabelSchema:
    labels: tuple[Label, ...] = ()
    attributes: dict[str, Any] = field(default_factory=dict)  # per layer: attribute -> choices
    # Whether an entity may sit inside another (e.g. GPE inside ORG). Crossing spans are never allowed.
    nested_entities: bool = False
    name: str = ""

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
        return cls(labels, dict(attributes), bool(data.get("nested_entities", False)), str(data.get("name", "")))

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


def fallback_colour(name: str) -> str:
    """A stable colour for a label the schema does not know: same name, same colour, every run."""
    digest = hashlib.blake2s(name.encode("utf-8", "surrogatepass"), digest_size=2).digest()
    return FALLBACK_COLOURS[int.from_bytes(digest, "big") % len(FALLBACK_COLOURS)]
