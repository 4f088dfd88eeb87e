"""The web endpoint imports on OpenSSL 3.0.10+ despite oscrypto 1.3.0 (DESIGN.md section 6).

Prevents: `movement-snacks serve` dying at import with "Error detecting the version of
libcrypto", and a shim that rewrites more than the one broken pattern or leaves traces in
the installed package.
"""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from skill.oscrypto_compat import BROKEN_PATTERN, FIXED_PATTERN, RegexFixFinder


@pytest.mark.parametrize("ffi", ["cffi", "ctypes"])
def test_skill_web_imports_in_a_fresh_interpreter(ffi: str) -> None:
    """Both of oscrypto's bindings (cffi when installed, else ctypes) carry the bad regex."""
    choose = "import oscrypto; oscrypto.use_ctypes()\n" if ffi == "ctypes" else ""
    code = choose + (
        "import oscrypto, skill.web\n"
        "from oscrypto._openssl._libcrypto import libcrypto_version_info as v\n"
        "from certvalidator import CertificateValidator\n"
        f"assert oscrypto.ffi() == {ffi!r}, oscrypto.ffi()\n"
        "print('.'.join(map(str, v[:3])))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    major = int(result.stdout.split(".")[0])
    assert major >= 1  # a parsed libcrypto version such as 3.0.19


@pytest.fixture
def fake_package(tmp_path: Path) -> Iterator[Path]:
    """A package on sys.path holding one module whose source we control."""
    package = tmp_path / "fake_oscrypto"
    package.mkdir()
    (package / "__init__.py").write_text("")
    sys.path.insert(0, str(tmp_path))
    yield package
    sys.path.remove(str(tmp_path))
    for name in [n for n in sys.modules if n.startswith("fake_oscrypto")]:
        del sys.modules[name]
    importlib.invalidate_caches()


def _import_with_finder(package: Path, source: bytes) -> object:
    (package / "libcrypto.py").write_bytes(b"import re\nPATTERN = " + source + b"\n")
    finder = RegexFixFinder(frozenset({"fake_oscrypto.libcrypto"}), BROKEN_PATTERN, FIXED_PATTERN)
    sys.meta_path.insert(0, finder)
    try:
        importlib.invalidate_caches()
        return importlib.import_module("fake_oscrypto.libcrypto")
    finally:
        sys.meta_path.remove(finder)


def test_broken_pattern_is_replaced_and_matches_openssl_3_0_19(fake_package: Path) -> None:
    module = _import_with_finder(fake_package, BROKEN_PATTERN)

    assert _parse(module, "OpenSSL 3.0.19 27 Jan 2026") == "3.0.19"
    assert _parse(module, "OpenSSL 1.1.1w  11 Sep 2023") == "1.1.1w"
    assert module.__file__ == str(fake_package / "libcrypto.py")  # a normal module otherwise


def _parse(module: object, version_text: str) -> str | None:
    match = re.search(module.PATTERN, version_text)  # type: ignore[attr-defined]
    return match.group(1) if match else None


def test_installed_files_stay_untouched(fake_package: Path) -> None:
    _import_with_finder(fake_package, BROKEN_PATTERN)

    assert BROKEN_PATTERN in (fake_package / "libcrypto.py").read_bytes()
    assert not list((fake_package / "__pycache__").glob("libcrypto*"))


def test_already_fixed_source_is_imported_normally(fake_package: Path) -> None:
    module = _import_with_finder(fake_package, FIXED_PATTERN)

    assert type(module.__loader__) is importlib.machinery.SourceFileLoader
    assert _parse(module, "OpenSSL 3.0.19 27 Jan 2026") == "3.0.19"
