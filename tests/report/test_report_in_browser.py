"""The comparison's report in a real Chromium at a phone-like 600 px and a laptop's 1280 px: the
lesson comes first, the page never scrolls sideways (a table too wide scrolls inside its own
box), numbers are right-aligned, figures fit, and no formula shows its raw markup."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

import initlab

CHROMIUM = "/usr/bin/chromium"
INITS = ["zeros", "random", "he", "glorot_uniform", "orthogonal", "lecun_normal", "xavier_normal"]

LAYOUT = """() => {
  const page = document.documentElement;
  const box = document.querySelector('.table-box');
  const table = box.querySelector('table');
  const lesson = document.querySelector('p.lesson');
  const numbers = [...document.querySelectorAll('td.num')];
  return {
    pageOverflow: page.scrollWidth - page.clientWidth,
    boxWidth: box.clientWidth,
    boxScrollWidth: box.scrollWidth,
    boxOverflowX: getComputedStyle(box).overflowX,
    tableRight: table.getBoundingClientRect().right,
    lesson: lesson ? lesson.innerText : '',
    lessonBeforeTable: !!lesson &&
      !!(lesson.compareDocumentPosition(table) & Node.DOCUMENT_POSITION_FOLLOWING),
    numbers: numbers.length,
    rightAligned: numbers.filter(td => getComputedStyle(td).textAlign === 'right').length,
    widestImage: Math.max(...[...document.images].map(i => i.getBoundingClientRect().right)),
    text: document.body.innerText,
    subscripts: document.querySelectorAll('figcaption sub').length,
  };
}"""


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    result = initlab.compare(INITS, iterations=300, every=100, engine="numpy")
    folder = tmp_path_factory.mktemp("report")
    path = folder / "report.html"
    path.write_text(result.files()["report.html"], encoding="utf-8")
    return path


def measure(report: Path, width: int) -> dict:
    """The page's layout in Chromium at ``width`` px. In a thread of its own: Playwright's sync
    API refuses a thread whose event loop another test's browser (tests/explore) keeps running."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(report.as_uri())
            return page.evaluate(LAYOUT)
        finally:
            browser.close()


@pytest.mark.parametrize("width", [600, 1280])
def test_the_report_reads_at_600_and_1280_pixels(report: Path, width: int):
    with ThreadPoolExecutor(max_workers=1) as pool:
        layout = pool.submit(measure, report, width).result()
    assert layout["pageOverflow"] <= 0, "the page itself must not scroll sideways"
    if layout["boxScrollWidth"] > layout["boxWidth"]:  # too wide: it scrolls in its own box
        assert layout["boxOverflowX"] == "auto" and width == 600
    else:
        assert layout["tableRight"] <= width
    assert layout["widestImage"] <= width
    assert layout["lessonBeforeTable"]
    assert "only the starting weights differ" in layout["lesson"]
    assert "Started with he" in layout["lesson"] or "he" in layout["lesson"].split()
    # every run's accuracies and costs (4 numbers a row) are right-aligned
    assert layout["numbers"] == 4 * len(INITS) == layout["rightAligned"]
    assert "q_{" not in layout["text"] and "σ_w" not in layout["text"]
    assert layout["subscripts"] > 0
