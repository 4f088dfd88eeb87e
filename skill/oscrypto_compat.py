"""Let oscrypto 1.3.0 load on OpenSSL 3.0.10+ and 3.x.y (DESIGN.md section 6).

flask-ask-sdk imports ask_sdk_webservice_support.verifier, which imports certvalidator,
which imports oscrypto. oscrypto 1.3.0 (the newest release on PyPI) reads the libcrypto
version with the regex ``\\b(\\d\\.\\d\\.\\d[a-z]*)\\b``: one digit per part, so "OpenSSL
3.0.19" does not match and the import dies with "Error detecting the version of libcrypto"
(wbond/oscrypto issues #75 and #78). Upstream fixed the pattern on master (commit d5f3437,
``\\d+`` per part) but never released it; Debian's python3-oscrypto carries the same
one-line fix. Neither reaches a plain ``pip install``, and a git dependency would need
GitHub at install time.

So before flask_ask_sdk is imported, :func:`install` puts a meta-path finder in front of
the normal import machinery. For exactly the two oscrypto modules that hold the pattern it
reads the installed source and, only if the broken pattern is still there, compiles a copy
with upstream's pattern instead. It never writes files or bytecode caches, changes nothing
else, and becomes a no-op by itself once a fixed oscrypto is installed.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import sys
from collections.abc import Sequence
from types import CodeType, ModuleType

# The patterns exactly as they are written in oscrypto's source (a Python string literal).
BROKEN_PATTERN = rb"'\\b(\\d\\.\\d\\.\\d[a-z]*)\\b'"
FIXED_PATTERN = rb"'\\b(\\d+\\.\\d+\\.\\d+[a-z]*)\\b'"
OSCRYPTO_MODULES = frozenset(
    {"oscrypto._openssl._libcrypto_cffi", "oscrypto._openssl._libcrypto_ctypes"}
)


class _PatchedSourceLoader(importlib.machinery.SourceFileLoader):
    """Compiles the module from its source with the pattern replaced, bypassing .pyc caches.

    Skipping the bytecode cache matters twice: a cached .pyc of the broken source would be
    loaded without ever reaching our replacement, and writing our patched bytecode next to
    the package would silently change it for every other program using the environment.
    """

    def __init__(self, fullname: str, path: str, old: bytes, new: bytes) -> None:
        super().__init__(fullname, path)
        self._old = old
        self._new = new

    def get_code(self, fullname: str) -> CodeType:
        source = self.get_data(self.path).replace(self._old, self._new, 1)
        return self.source_to_code(source, self.path)


class RegexFixFinder(importlib.abc.MetaPathFinder):
    """Meta-path finder that swaps ``old`` for ``new`` in the source of ``modules``."""

    def __init__(self, modules: frozenset[str], old: bytes, new: bytes) -> None:
        self.modules = modules
        self.old = old
        self.new = new

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in self.modules:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or not isinstance(spec.loader, importlib.machinery.SourceFileLoader):
            return None
        origin = spec.loader.path
        if self.old not in spec.loader.get_data(origin):
            return None  # already fixed upstream or by the distribution: leave it alone
        loader = _PatchedSourceLoader(fullname, origin, self.old, self.new)
        return importlib.util.spec_from_file_location(fullname, origin, loader=loader)


def install() -> None:
    """Register the oscrypto finder in front of the import machinery (idempotent)."""
    if any(isinstance(finder, RegexFixFinder) for finder in sys.meta_path):
        return
    sys.meta_path.insert(0, RegexFixFinder(OSCRYPTO_MODULES, BROKEN_PATTERN, FIXED_PATTERN))
