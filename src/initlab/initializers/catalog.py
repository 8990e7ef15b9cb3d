"""The table of every initializer: name, aliases, formula, defaults and the frameworks' names.

One source for ``initlab inits`` (Rich table or JSON) and for ``docs/initializers.md`` (Markdown),
built from the registry, so the two cannot drift apart.
"""

from __future__ import annotations

from typing import Any

from initlab.initializers.registry import REGISTRY, InitializerInfo
from initlab.specs import format_value

COLUMNS = ("name", "aliases", "formula", "defaults", "pytorch", "keras", "jax", "other")
HEADERS = {
    "name": "name",
    "aliases": "aliases",
    "formula": "formula",
    "defaults": "defaults",
    "pytorch": "PyTorch",
    "keras": "Keras",
    "jax": "JAX",
    "other": "course / source",
}
FRAMEWORKS = ("pytorch", "keras", "jax")

TRUNCATION_NOTE = (
    "The plain *_normal names (he_normal = kaiming_normal, glorot_normal = xavier_normal, "
    "lecun_normal) follow PyTorch: an untruncated normal. Keras (HeNormal, GlorotNormal, "
    "LecunNormal) and JAX (he_normal, kaiming_normal, glorot_normal, xavier_normal, lecun_normal) "
    "ship those names as truncated normals of the same variance: in initlab they are "
    "he_truncated_normal, glorot_truncated_normal and lecun_truncated_normal. Weights are "
    "(fan_out, fan_in) as in PyTorch; Keras and JAX store (fan_in, fan_out), with the same fans."
)


def row(entry: InitializerInfo) -> dict[str, Any]:
    """One initializer as a JSON-ready row."""
    defaults = entry.defaults()
    other = [f"{key}: {value}" for key, value in entry.frameworks.items() if key not in FRAMEWORKS]
    return {
        "name": entry.name,
        "aliases": list(entry.aliases),
        "formula": entry.formula,
        "defaults": {key: value for key, value in defaults.items()},
        "pytorch": entry.frameworks.get("pytorch"),
        "keras": entry.frameworks.get("keras"),
        "jax": entry.frameworks.get("jax"),
        "other": "; ".join(other) or None,
        "needs_data": entry.needs_data,
        "bias": entry.bias is not None,
    }


def rows() -> list[dict[str, Any]]:
    """Every registered initializer, in registration order (the course's four first)."""
    return [row(entry) for entry in REGISTRY.values()]


def cell(row: dict[str, Any], column: str) -> str:
    """The text of one cell; "—" when empty."""
    value = row[column]
    if column == "aliases":
        return ", ".join(value) or "—"
    if column == "defaults":
        return ", ".join(f"{k}={format_value(v)}" for k, v in value.items()) or "—"
    return value or "—"


def markdown_table() -> str:
    """The table in Markdown (``|`` in a cell escaped)."""
    lines = [
        "| " + " | ".join(HEADERS[c] for c in COLUMNS) + " |",
        "|" + "---|" * len(COLUMNS),
    ]
    for r in rows():
        cells = [cell(r, c).replace("|", "\\|") for c in COLUMNS]
        cells[0] = f"`{cells[0]}`"
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
