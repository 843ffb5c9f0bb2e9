"""Reproducible installs: pyproject.toml keeps ranges, constraints.txt pins the tested set."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]


def normalize(name: str) -> str:
    """PEP 503 name normalization."""
    return re.sub(r"[-_.]+", "-", name).lower()


def read_pins() -> dict[str, str]:
    pins = {}
    for raw in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            name, sep, version = line.partition("==")
            assert sep and version, f"constraints.txt: not an exact pin: {raw!r}"
            pins[normalize(name)] = version.strip()
    return pins


def installed_versions() -> dict[str, str]:
    return {normalize(d.metadata["Name"]): d.version for d in metadata.distributions() if d.metadata["Name"]}


def test_installed_versions_match_constraints() -> None:
    pins = read_pins()
    assert pins.get("torch", "").endswith("+cpu"), "constraints.txt pins the CPU build of torch"
    installed = installed_versions()
    # Version equality includes the local part: torch 2.13.0+cu128 is not 2.13.0+cpu. A build
    # of torch other than the CPU one is a GPU install, chosen on purpose (README).
    drift = {
        name: (pin, installed[name])
        for name, pin in pins.items()
        if name in installed
        and Version(installed[name]) != Version(pin)
        and not (name == "torch" and Version(installed[name]).local != "cpu")
    }
    assert not drift, f"installed versions differ from constraints.txt (pinned, installed): {drift}"


def test_pyproject_dependencies_are_ranges() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"].values()
    specs = [*project["dependencies"], *(spec for extra in extras for spec in extra)]
    pinned = [spec for spec in specs if "==" in spec]
    assert not pinned, f"pyproject.toml keeps ranges, constraints.txt the pins: {pinned}"
