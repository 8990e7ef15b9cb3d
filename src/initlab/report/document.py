"""The report: one self-contained HTML page (images embedded) and the same in Markdown.

A report is a title, a lead paragraph, a table, a list of row explanations and figure sections,
each figure with a sentence saying what to look at.
"""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass, field

import pandas as pd
from matplotlib.figure import Figure

from initlab.report.format import significant


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
p.lead { font-size: 1.1rem; color: #3a4254; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; font-size: .98rem; }
th { background: #26324a; color: white; text-align: left; padding: .55rem .8rem; }
td { padding: .5rem .8rem; border-bottom: 1px solid #e4e7ee; }
tr:nth-child(even) td { background: #f6f7fb; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1rem 0 2rem; }
figure img { max-width: 100%; border: 1px solid #e4e7ee; border-radius: 6px; }
figcaption { color: #4a5266; font-size: .95rem; margin-top: .4rem; }
dl.why dt { font-weight: 600; margin-top: .8rem; font-family: ui-monospace, monospace; }
dl.why dd { margin-left: 1.2rem; }
footer { margin-top: 3rem; color: #6b7385; font-size: .85rem; }
code { background: #f0f2f7; padding: 0 .25rem; border-radius: 3px; }
"""


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f'<td class="num">{significant(value, 4)}</td>'
    return f"<td>{html.escape(str(value))}</td>"


def _html_table(table: pd.DataFrame) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in table.columns)
    rows = "".join(
        "<tr>" + "".join(_cell(v) for v in row) + "</tr>" for row in table.itertuples(index=False)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def render_html(report: Report, pngs: dict[str, bytes] | None = None) -> str:
    """The report as one HTML page with every figure embedded as a base64 PNG.

    ``pngs`` (section name → PNG bytes) reuses figures already rendered.
    """
    pngs = pngs or {}
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{html.escape(report.title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{html.escape(report.title)}</h1>",
        f"<p class='lead'>{html.escape(report.lead)}</p>",
        _html_table(report.table),
    ]
    if report.explanations:
        parts.append("<h2>Why each row came out as it did</h2><dl class='why'>")
        for name, text in report.explanations:
            parts.append(f"<dt>{html.escape(name)}</dt><dd>{html.escape(text)}</dd>")
        parts.append("</dl>")
    for extra in report.tables:
        parts.append(
            f"<h2>{html.escape(extra.title)}</h2><p>{html.escape(extra.text)}</p>"
            + _html_table(extra.table)
        )
    for section in report.sections:
        png = pngs.get(section.name) or png_bytes(section.figure)
        data = base64.b64encode(png).decode("ascii")
        parts.append(
            f"<h2>{html.escape(section.title)}</h2><figure>"
            f"<img alt='{html.escape(section.title)}' src='data:image/png;base64,{data}'>"
            f"<figcaption>{html.escape(section.text)}</figcaption></figure>"
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
    parts = [f"# {report.title}", "", report.lead, "", markdown_table(report.table), ""]
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
