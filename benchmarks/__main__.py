"""Run every benchmark module in this package: ``python -m benchmarks [NAME ...]``.

A benchmark is a module here with a ``main()`` that prints its figures; add one
and it runs. Names on the command line pick modules by prefix (e.g. ``audio``).
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time

import benchmarks


def main(selected: list[str]) -> None:
    names = sorted(m.name for m in pkgutil.iter_modules(benchmarks.__path__))
    chosen = [n for n in names if not selected or any(n.startswith(s) for s in selected)]
    for name in chosen:
        print(f"== {name}", flush=True)
        started = time.perf_counter()
        importlib.import_module(f"benchmarks.{name}").main()
        print(f"   ({time.perf_counter() - started:.1f} s)\n", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
