"""Entry point for the `c5` script and `python -m c5cli`.

Kept tiny so that Ctrl-C even during start-up (while Typer is still importing) ends with
exit code 130 and no traceback.
"""

import sys


def main() -> None:
    try:
        from .cli import app

        app(prog_name="c5")
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        sys.exit(130)


if __name__ == "__main__":
    main()
