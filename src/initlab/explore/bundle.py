"""One ES module from the front end's modules, for the Jupyter widget.

The web app serves ``static/*.js`` as separate ES modules that import each other by relative
path. A Jupyter front end loads a widget's module from a blob URL, where relative imports cannot
resolve, so the widget gets the same modules joined into one: each module's body is wrapped in a
function that returns its exports, and each ``import { a, b } from "./x.js";`` becomes a
destructuring of the module it names. No build step and no npm: the source of both is the same
files, joined when the widget is created.

The modules keep to the forms this joiner understands (checked here, tested in tests/explore):
``import { names } from "./module.js";`` on one line, and ``export function|const|class NAME``.
"""

from __future__ import annotations

import re
from pathlib import Path

STATIC = Path(__file__).with_name("static")
ENTRY = "playground"

_IMPORT = re.compile(r'^import\s*\{([^}]*)\}\s*from\s*"\./([\w-]+)\.js";\s*$', re.MULTILINE)
_EXPORT = re.compile(
    r"^export\s+((?:async\s+)?(?:function\*?|const|let|class))\s+([A-Za-z_$][\w$]*)", re.MULTILINE
)
_OTHER_EXPORT = re.compile(r"^\s*(import|export)\b", re.MULTILINE)


def _module(name: str) -> str:
    return (STATIC / f"{name}.js").read_text(encoding="utf-8")


def _order(entry: str) -> list[str]:
    """Modules in dependency order, the entry last (a cycle is an error)."""
    done: list[str] = []
    visiting: set[str] = set()

    def visit(name: str) -> None:
        if name in done:
            return
        if name in visiting:
            raise ValueError(f"import cycle through {name}.js")
        visiting.add(name)
        for _, dependency in _IMPORT.findall(_module(name)):
            visit(dependency)
        visiting.discard(name)
        done.append(name)

    visit(entry)
    return done


def _wrap(name: str, source: str) -> str:
    exports = [match.group(2) for match in _EXPORT.finditer(source)]
    body = _IMPORT.sub(
        lambda m: f"const {{{m.group(1).strip()}}} = __module_{m.group(2).replace('-', '_')};",
        source,
    )
    body = _EXPORT.sub(lambda m: f"{m.group(1)} {m.group(2)}", body)
    leftover = _OTHER_EXPORT.search(body)
    if leftover:
        line = body[: leftover.start()].count("\n") + 1
        raise ValueError(f"{name}.js line {line}: an import or export form the joiner cannot read")
    ident = name.replace("-", "_")
    return (
        f"// ---- {name}.js\nconst __module_{ident} = (() => {{\n{body}\n"
        f"return {{ {', '.join(exports)} }};\n}})();\n"
    )


def widget_module(entry: str = ENTRY) -> str:
    """The joined module: ``render`` as a named and as the default export (anywidget's forms)."""
    parts = [_wrap(name, _module(name)) for name in _order(entry)]
    ident = entry.replace("-", "_")
    return (
        "// initlab explore: the playground's ES modules joined for anywidget (see bundle.py)\n"
        + "".join(parts)
        + f"export const render = __module_{ident}.render;\nexport default {{ render }};\n"
    )
