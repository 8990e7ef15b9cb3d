"""``initlab diagnose``: what every layer does under each initializer, beside the theory."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from initlab.cli.app import app, check_outputs, console, drawing, rich_table, write_outputs
from initlab.data.registry import short_spec
from initlab.nn import activations
from initlab.runs import defaults as D

if TYPE_CHECKING:
    from initlab.experiments.diagnose import Diagnostics


def _number(value: float, digits: int = 3) -> str:
    if value is None or not math.isfinite(value):
        return "—"
    return f"{value:.{digits}g}"


def layer_table(result: Diagnostics, k: int) -> Table:
    """Initializer k's layers: signal and gradient at init beside the theory, and at the end."""
    first, last = result.stats[0], result.stats[-1]
    alive = bool(result.alive[-1, k])
    th = result.theories[k]
    end = f"@{last.iteration:,}" if alive else "@end"
    title = f"{result.inits[k]} — {result.diagnoses()[k]}"
    out = Table(title=title, title_justify="left")
    for column in (
        "layer",
        "units",
        "std z",
        "theory",
        f"std z {end}",
        "‖∂C/∂z‖",
        "theory",
        f"‖∂C/∂z‖ {end}",
        "dead",
        "sat.",
        f"distinct {end}",
    ):
        out.add_column(column, justify="right")
    for i in range(result.depth):
        hidden = i < result.depth - 1
        out.add_row(
            str(i + 1) if hidden else f"{i + 1} (out)",
            str(result.network.sizes[i + 1]),
            _number(first.pre_std[k, i]),
            _number(th.pre_std[i]) if th is not None else "—",
            _number(last.pre_std[k, i]) if alive else "—",
            _number(first.grad_z[k, i]),
            _number(th.grad_z[i]) if th is not None else "—",
            _number(last.grad_z[k, i]) if alive else "—",
            f"{first.dead[k, i]:.0%}" if hidden else "",
            f"{first.saturated[k, i]:.0%}" if hidden else "",
            str(int(last.distinct[k, i])) if hidden and alive else "",
        )
    return out


def summary_table(result: Diagnostics) -> Table:
    table = result.display_summary()
    out = Table(
        title=f"{result.network} {result.network.activation_text()} on "
        f"{short_spec(result.dataset.spec)}: at init, and after {result.iterations:,} iterations "
        f"(lr {result.lr:g}, seed {result.seed})"
    )
    for column in table.columns:
        out.add_column(str(column), justify="left" if column in ("init", "diagnosis") else "right")
    for row in table.itertuples(index=False):
        out.add_row(*[str(v) for v in row])
    return out


# the options of ``--torch``: your own PyTorch model (initlab.torch)
TorchModel = Annotated[
    str | None,
    typer.Option(
        "--torch",
        help="Your own PyTorch model instead: FILE.py:FACTORY, a function returning the "
        'nn.Module (pip install "initlab\\[torch]"); measured on --data.',
    ),
]
TorchData = Annotated[Path | None, typer.Option(help="With --torch: the batch X (.npy).")]
TorchLabels = Annotated[
    Path | None, typer.Option(help="With --torch: labels/targets y (.npy) for a backward pass.")
]
TorchLoss = Annotated[
    str | None,
    typer.Option(help="With --labels: cross_entropy (default), mse or bce, from the logits."),
]


@app.command()
def diagnose(
    inits: Annotated[str, typer.Option(help="Initializers, comma-separated specs.")] = ",".join(
        D.DIAGNOSE_INITS
    ),
    depth: Annotated[int, typer.Option(help="Hidden layers (unless --layers).")] = D.DIAGNOSE_DEPTH,
    width: Annotated[int, typer.Option(help="Units per hidden layer (unless --layers).")] = (
        D.DIAGNOSE_WIDTH
    ),
    layers: Annotated[
        str | None, typer.Option(help="Layer sizes instead of --depth/--width: auto,64,64,auto.")
    ] = None,
    activation: Annotated[
        str,
        typer.Option(
            help="Hidden activation, one for all or one per hidden layer: "
            f"{', '.join(activations.REGISTRY)}."
        ),
    ] = D.ACTIVATION,
    output: Annotated[str, typer.Option(help="Output layer: auto, sigmoid or softmax.")] = D.OUTPUT,
    dataset: Annotated[
        str, typer.Option(help="Dataset spec, e.g. moons:noise=0.2 or iris:standardize=true.")
    ] = D.DATASET,
    lr: Annotated[float, typer.Option(help="Learning rate of gradient descent.")] = D.LR,
    iterations: Annotated[int, typer.Option(help="Gradient-descent iterations (0: init only).")] = (
        D.DIAGNOSE_ITERATIONS
    ),
    checkpoints: Annotated[
        str | None,
        typer.Option(help="Iterations to measure at, e.g. 0,50,200 (default 0, 10, 100, …, end)."),
    ] = None,
    seed: Annotated[
        int, typer.Option(help="Seed of numpy's RandomState for the weights.")
    ] = D.SEED,
    engine: Annotated[str, typer.Option(help="Training engine: auto, fast or numpy.")] = D.ENGINE,
    out: Annotated[Path, typer.Option(help="Folder for the figures and the report.")] = Path(
        D.DIAGNOSE_OUT
    ),
    json_file: Annotated[
        Path | None, typer.Option("--json", help="Also write every number here.")
    ] = None,
    torch_model: TorchModel = None,
    data: TorchData = None,
    labels: TorchLabels = None,
    loss: TorchLoss = None,
) -> None:
    """Per-layer statistics (signal, gradients, dead, saturated and distinct units) at init and
    through training, with the mean-field theory drawn over them (default: 20 ReLU layers of 64);
    with --torch, of your own PyTorch model on one batch."""
    from initlab.experiments import diagnose as run_diagnose

    check_outputs(out, json_file)
    if torch_model is not None or data is not None or labels is not None or loss is not None:
        _diagnose_torch(torch_model, data, labels, loss, out, json_file)
        return

    points = _parse_checkpoints(checkpoints)
    result = run_diagnose(  # a progress bar on a terminal (initlab.runs.progress)
        inits,
        layers,
        depth=depth,
        width=width,
        dataset=dataset,
        activation=activation,
        output=output,
        lr=lr,
        iterations=iterations,
        checkpoints=points,
        seed=seed,
        engine=engine,
    )
    with drawing():
        files = result.files()
    for k in range(len(result.inits)):
        console().print(layer_table(result, k))
        print()
    console().print(summary_table(result))
    write_outputs(out, files, json_file=json_file, open_name="report.html")


def _diagnose_torch(
    spec: str | None,
    data: Path | None,
    labels: Path | None,
    loss: str | None,
    out: Path,
    json_file: Path | None,
) -> None:
    """``--torch FILE.py:FACTORY --data X.npy [--labels y.npy] [--loss NAME]``: a thin shell
    over :func:`initlab.torch.diagnose`."""
    from initlab.errors import InitlabError

    if spec is None or data is None:
        raise InitlabError(
            "--torch FILE.py:FACTORY and --data X.npy go together (--labels and --loss need them)"
        )
    if loss is not None and labels is None:
        raise InitlabError("--loss needs --labels (the targets of the backward pass)")
    import initlab.torch as torch_door  # says how to install PyTorch when it is missing

    X = torch_door.load_array(data, "--data")
    y = torch_door.load_array(labels, "--labels") if labels is not None else None
    model = torch_door.load_model(spec)
    chosen = (loss or "cross_entropy") if y is not None else None
    result = torch_door.diagnose(model, X, y, loss=chosen)
    files = result.files()
    console().print(rich_table(result.display_table(), f"{result.heading()}: layer by layer"))
    write_outputs(out, files, json_file=json_file, open_name="report.html")


def _parse_checkpoints(text: str | None) -> list[int] | None:
    from initlab.errors import InitlabError

    if text is None:
        return None
    try:
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise InitlabError(
            f"--checkpoints must be integers separated by commas, e.g. 0,50,200; got {text!r}"
        ) from None
