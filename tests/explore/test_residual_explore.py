"""Residual networks in the playground over the real server: residual layer items and the
residual initializers train to initlab.compare's numbers; limits count blocks and their width;
the page's network panel edits a residual item and sends it back."""

from __future__ import annotations

import math

import pytest

import initlab

from .conftest import TEST_LIMITS, WAIT

RESIDUAL = dict(
    dataset="spiral",
    layers="auto,8,res8x4,auto",
    activation="relu",
    inits="fixup,rezero,skipinit,zero,idinit,rai,he",
    lr=0.05,
    seed=1,
)


def test_a_residual_session_equals_compare(server):
    client = server.client()
    start = client.configure(**RESIDUAL)
    assert start["iteration"] == 0
    # Fixup's zero output layer: p = 1/2 on every sample of the two spirals
    assert start["models"][0]["cost"] == pytest.approx(math.log(2), abs=1e-15)
    client.send({"type": "play", "until": 120})
    end = client.until(
        lambda m: m["type"] == "frame" and m["iteration"] == 120 and not m["running"]
    )
    result = initlab.compare(
        inits=RESIDUAL["inits"],
        layers=RESIDUAL["layers"],
        dataset=RESIDUAL["dataset"],
        lr=RESIDUAL["lr"],
        seed=RESIDUAL["seed"],
        iterations=120,
        progress=False,
    )
    assert str(result.network) == "2-8-res8x4-1"
    for model, run in zip(end["models"], result.runs, strict=True):
        assert model["cost"] == pytest.approx(run.final_cost, rel=1e-12, abs=0)
        assert model["test_accuracy"] == pytest.approx(run.test_accuracy, abs=1e-12)
        assert len(model["layers"]["grad_z"]) == 6  # every weight layer measured
    client.close()


@pytest.mark.parametrize(
    ("layers", "inits", "message"),
    [
        ("auto,8,res200x2,auto", "he", f"at most {TEST_LIMITS.max_width} units wide"),
        ("auto,8,res8x40,res8x40,auto", "he", "at most 64 residual blocks per session; got 80"),
        ("auto,4,res8x2,auto", "he", "it follows a layer of 4 units"),
        ("auto,8,8,auto", "fixup", "is for residual networks"),
    ],
)
def test_bad_residual_settings_get_one_error_frame(server, layers, inits, message):
    client = server.client()
    client.send({"type": "configure", "settings": {"layers": layers, "inits": inits}})
    error = client.until(lambda m: m["type"] == "error")
    assert message in error["message"]
    start = client.configure(layers="auto,8,res8x2,auto", inits="rezero")  # the session goes on
    assert start["iteration"] == 0
    client.close()


def test_the_page_edits_a_residual_item(server, page):
    page.goto(f"{server.url}&layers=auto,8,res8x4,auto&inits=rezero,he&dataset=spiral")
    page.wait_for_selector('[data-testid="cost-1"]:not([data-value=""])', timeout=WAIT * 1000)
    blocks = page.locator('[data-testid="residual-blocks-1"]')
    assert blocks.input_value() == "4"
    blocks.fill("6")
    blocks.dispatch_event("change")
    page.wait_for_function("location.search.includes('res8x6')", timeout=WAIT * 1000)
    page.wait_for_selector('[data-testid="cost-1"]:not([data-value=""])', timeout=WAIT * 1000)
    page.click('[data-testid="add-residual"]')
    page.wait_for_function("location.search.includes('res8x6,res8x4')", timeout=WAIT * 1000)
    page.locator('[data-testid="residual-blocks-2"]').wait_for(timeout=WAIT * 1000)
    page.click('[data-testid="play"]')  # the server took the 10 blocks: the page trains them
    page.wait_for_function(
        "Number(document.querySelector('[data-testid=\"iteration\"]').dataset.value) >= 50",
        timeout=WAIT * 1000,
    )
    assert page.text_content('[data-testid="status"]') == "" and page.errors == []
