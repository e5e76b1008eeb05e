"""Baseline for benchmarks/startup.py: the smallest useful Typer app, one command."""

import typer

app = typer.Typer()


@app.command()
def hello(name: str = "world") -> None:
    print(f"hello {name}")


if __name__ == "__main__":
    app()
