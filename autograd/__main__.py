"""``python -m autograd EXPR NAME=VALUE ...``: the command line of :mod:`autograd.cli`."""

from autograd.cli import main

if __name__ == "__main__":  # not when pytest imports this file to look for doctests
    raise SystemExit(main(prog="python -m autograd"))
