"""The report: one self-contained HTML page (images embedded) and the same in Markdown.

A report is a title, a lesson (one paragraph saying what the table shows and why, in a learner's
words), a lead paragraph with the details, a table, a list of row explanations and figure
sections, each figure with a sentence saying what to look at.

The HTML page reads at any width: the table scrolls inside its own box when a narrow screen
cannot hold it (never the page), numeric columns are right-aligned, and the formulas of the
prose (``q_{l−1}``, ``σ_w²``) are set with sub- and superscripts (:func:`math_html`).
"""

from __future__ import annotations

import base64
import html
import io
import re
from dataclasses import dataclass, field

import pandas as pd
from matplotlib.figure import Figure

from initlab.report.format import TEST_NOT_FINITE, significant


@dataclass
class FigureSection:
    """A figure in the report: ``name`` is its file stem (``name.png``)."""

    name: str
    title: str
    text: str
    figure: Figure


@dataclass
class TableSection:
    """A further table in the report, under its own heading, with a sentence explaining it."""

    title: str
    text: str
    table: pd.DataFrame


@dataclass
class Report:
    title: str
    lead: str
    table: pd.DataFrame
    explanations: list[tuple[str, str]] = field(default_factory=list)
    sections: list[FigureSection] = field(default_factory=list)
    settings: dict[str, str] = field(default_factory=dict)
    tables: list[TableSection] = field(default_factory=list)
    lesson: str = ""


def png_bytes(figure: Figure, dpi: int = 110) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


CSS = """
body { font-family: -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
       max-width: 1100px; margin: 2rem auto; padding: 0 1.5rem; color: #1d2330; line-height: 1.5; }
h1 { font-size: 1.9rem; margin-bottom: .2rem; }
h2 { font-size: 1.3rem; margin-top: 2.2rem; border-bottom: 2px solid #e4e7ee;
     padding-bottom: .3rem; }
p.lesson { font-size: 1.12rem; background: #eef3fc; border-left: 4px solid #3867c8;
           padding: .8rem 1rem; border-radius: 0 6px 6px 0; }
p.lead { color: #3a4254; }
.table-box { overflow-x: auto; margin: 1rem 0; }
table { border-collapse: collapse; width: 100%; font-size: .98rem; }
th { background: #26324a; color: white; text-align: left; padding: .55rem .8rem;
     vertical-align: bottom; }
td { padding: .5rem .8rem; border-bottom: 1px solid #e4e7ee; vertical-align: top; }
tr:nth-child(even) td { background: #f6f7fb; }
th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
td.wide { min-width: 13rem; }
@media (min-width: 721px) { td.name { white-space: nowrap; } }
figure { margin: 1rem 0 2rem; }
figure img { max-width: 100%; height: auto; border: 1px solid #e4e7ee; border-radius: 6px; }
figcaption { color: #4a5266; font-size: .95rem; margin-top: .4rem; }
dl.why dt { font-weight: 600; margin-top: .8rem; font-family: ui-monospace, monospace; }
dl.why dd { margin-left: 1.2rem; }
footer { margin-top: 3rem; color: #6b7385; font-size: .85rem; overflow-wrap: anywhere; }
code { background: #f0f2f7; padding: 0 .25rem; border-radius: 3px; }
@media (max-width: 720px) {
  body { margin: 1rem auto; padding: 0 .75rem; }
  h1 { font-size: 1.5rem; }
  table { font-size: .88rem; }
  p.lesson { font-size: 1rem; }
  th, td { padding: .4rem .45rem; }
  td.wide { min-width: 11rem; }
  dl.why dd { margin-left: .6rem; }
}
"""


# a cell that reads as a number: digits with signs, separators, exponents, %, intervals
_NUMERIC = re.compile(r"^[\d\s.,%+\-−–—e\[\]()±×]+$")
# the words a numeric column holds where a run has no number
_NO_NUMBER = {"diverged", "—", "–", TEST_NOT_FINITE}


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) or bool(_NUMERIC.match(str(value)))


def numeric_columns(table: pd.DataFrame) -> list[bool]:
    """Per column, whether it holds numbers (right-aligned): every cell a number or a stand-in
    for one (``"diverged"``, a dash), and at least one a number."""
    out = []
    for column in table.columns:
        values = list(table[column])
        numbers = [v for v in values if _is_number(v) and str(v) not in _NO_NUMBER]
        out.append(bool(numbers) and all(_is_number(v) or str(v) in _NO_NUMBER for v in values))
    return out


def math_html(text: str) -> str:
    """Escaped ``text`` with the prose's formulas set: ``q_{l−1}`` → q<sub>l−1</sub>,
    ``σ_w²`` → σ<sub>w</sub>² (only after a one-letter symbol, so names like ``glorot_uniform``
    stay as they are)."""
    escaped = html.escape(text)
    escaped = re.sub(r"(?<![\w])([σχφqzxW])_\{([^}]*)\}", r"\1<sub>\2</sub>", escaped)
    return re.sub(r"(?<![\w])([σχφqzxW])_([A-Za-z0-9]+)", r"\1<sub>\2</sub>", escaped)


def _breakable(text: str) -> str:
    """An initializer spec that may wrap after its ``:`` and ``,`` on a narrow screen."""
    return html.escape(text).replace(":", ":<wbr>").replace(",", ",<wbr>")


def _cell(value: object, numeric: bool, first: bool) -> str:
    if isinstance(value, float):
        return f'<td class="num">{significant(value, 4)}</td>'
    if numeric:
        return f'<td class="num">{html.escape(str(value))}</td>'
    if first:
        return f"<td class='name'>{_breakable(str(value))}</td>"
    wide = " class='wide'" if len(str(value)) > 40 else ""
    return f"<td{wide}>{html.escape(str(value))}</td>"


def _html_table(table: pd.DataFrame) -> str:
    numeric = numeric_columns(table)
    head = "".join(
        ("<th class='num'>" if n else "<th>") + f"{math_html(str(c))}</th>"
        for c, n in zip(table.columns, numeric, strict=True)
    )
    rows = "".join(
        "<tr>"
        + "".join(_cell(v, n, i == 0) for i, (v, n) in enumerate(zip(row, numeric, strict=True)))
        + "</tr>"
        for row in table.itertuples(index=False)
    )
    return (
        f"<div class='table-box'><table><thead><tr>{head}</tr></thead>"
        f"<tbody>{rows}</tbody></table></div>"
    )


def render_html(report: Report, pngs: dict[str, bytes] | None = None) -> str:
    """The report as one HTML page with every figure embedded as a base64 PNG.

    ``pngs`` (section name → PNG bytes) reuses figures already rendered.
    """
    pngs = pngs or {}
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        f"<title>{html.escape(report.title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{html.escape(report.title)}</h1>",
        f"<p class='lesson'>{math_html(report.lesson)}</p>" if report.lesson else "",
        f"<p class='lead'>{math_html(report.lead)}</p>",
        _html_table(report.table),
    ]
    if report.explanations:
        parts.append("<h2>Why each row came out as it did</h2><dl class='why'>")
        for name, text in report.explanations:
            parts.append(f"<dt>{html.escape(name)}</dt><dd>{math_html(text)}</dd>")
        parts.append("</dl>")
    for extra in report.tables:
        parts.append(
            f"<h2>{html.escape(extra.title)}</h2><p>{math_html(extra.text)}</p>"
            + _html_table(extra.table)
        )
    for section in report.sections:
        png = pngs.get(section.name) or png_bytes(section.figure)
        data = base64.b64encode(png).decode("ascii")
        parts.append(
            f"<h2>{html.escape(section.title)}</h2><figure>"
            f"<img alt='{html.escape(section.title)}' src='data:image/png;base64,{data}'>"
            f"<figcaption>{math_html(section.text)}</figcaption></figure>"
        )
    settings = " · ".join(f"{k}: {html.escape(str(v))}" for k, v in report.settings.items())
    parts.append(f"<footer>{settings}</footer></body></html>")
    return "\n".join(parts)


def markdown_table(table: pd.DataFrame) -> str:
    def fmt(value: object) -> str:
        return significant(value, 4) if isinstance(value, float) else str(value).replace("|", "\\|")

    lines = [
        "| " + " | ".join(str(c) for c in table.columns) + " |",
        "|" + "|".join("---" for _ in table.columns) + "|",
    ]
    lines += [
        "| " + " | ".join(fmt(v) for v in row) + " |" for row in table.itertuples(index=False)
    ]
    return "\n".join(lines)


def render_markdown(report: Report) -> str:
    """The report in Markdown; figures are linked as ``name.png`` beside it."""
    lesson = [report.lesson, ""] if report.lesson else []
    parts = [f"# {report.title}", "", *lesson, report.lead, "", markdown_table(report.table), ""]
    if report.explanations:
        parts += ["## Why each row came out as it did", ""]
        parts += [f"- **{name}**: {text}" for name, text in report.explanations]
        parts.append("")
    for extra in report.tables:
        parts += [f"## {extra.title}", "", extra.text, "", markdown_table(extra.table), ""]
    for section in report.sections:
        parts += [
            f"## {section.title}",
            "",
            f"![{section.title}]({section.name}.png)",
            "",
            section.text,
            "",
        ]
    parts.append(" · ".join(f"{k}: {v}" for k, v in report.settings.items()))
    return "\n".join(parts) + "\n"


def report_files(report: Report) -> dict[str, bytes | str]:
    """Every file of the report: ``report.html``, ``report.md`` and one PNG per figure."""
    pngs = {section.name: png_bytes(section.figure) for section in report.sections}
    files: dict[str, bytes | str] = {f"{name}.png": png for name, png in pngs.items()}
    files["report.html"] = render_html(report, pngs)
    files["report.md"] = render_markdown(report)
    return files


# the notebook view's look, scoped to its own box so it leaves the notebook's styles alone
FRAGMENT_CSS = """
.initlab-view { max-width: 1000px; line-height: 1.45; }
.initlab-view .table-box { overflow-x: auto; margin: .6rem 0; }
.initlab-view table { border-collapse: collapse; }
.initlab-view th { text-align: left; padding: .3rem .6rem; border-bottom: 2px solid #888; }
.initlab-view td { text-align: left; padding: .3rem .6rem; border-bottom: 1px solid #ddd;
                   vertical-align: top; }
.initlab-view .num { text-align: right; font-variant-numeric: tabular-nums; }
.initlab-view p.lesson { border-left: 4px solid #3867c8; padding: .4rem .8rem;
                         background: rgba(56, 103, 200, .08); }
.initlab-view img { max-width: 100%; height: auto; }
"""


def render_fragment(report: Report, dpi: int = 80) -> str:
    """The report as one block of HTML for a notebook (``_repr_html_``): title, lesson, lead, the
    table (percentages, verdicts), further tables, the explanations folded under a summary line,
    and every figure inline as a base64 PNG (at ``dpi``, smaller than the report's)."""
    parts = [
        f"<div class='initlab-view'><style>{FRAGMENT_CSS}</style>",
        f"<h3>{html.escape(report.title)}</h3>",
        f"<p class='lesson'>{math_html(report.lesson)}</p>" if report.lesson else "",
        f"<p>{math_html(report.lead)}</p>" if report.lead else "",
        _html_table(report.table),
    ]
    if report.explanations:
        parts.append("<details><summary>Why each row came out as it did</summary><dl>")
        for name, text in report.explanations:
            parts.append(f"<dt><code>{html.escape(name)}</code></dt><dd>{math_html(text)}</dd>")
        parts.append("</dl></details>")
    for extra in report.tables:
        parts.append(f"<h4>{html.escape(extra.title)}</h4><p>{math_html(extra.text)}</p>")
        parts.append(_html_table(extra.table))
    for section in report.sections:
        data = base64.b64encode(png_bytes(section.figure, dpi)).decode("ascii")
        parts.append(
            f"<h4>{html.escape(section.title)}</h4>"
            f"<img alt='{html.escape(section.title)}' src='data:image/png;base64,{data}'>"
            f"<p>{math_html(section.text)}</p>"
        )
    parts.append("</div>")
    return "\n".join(part for part in parts if part)
