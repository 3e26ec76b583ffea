"""Fixtures for the territory tests: a copy of the reference files that a test may break."""

import gzip
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from guichet.territory.importers import default_source_dir


@pytest.fixture
def source_dir(tmp_path: Path) -> Path:
    """A private copy of data/reference/territory/ (about 2 MB)."""
    directory = tmp_path / "territory"
    shutil.copytree(default_source_dir(), directory)
    for path in directory.iterdir():
        path.chmod(0o644)
    return directory


@pytest.fixture
def rewrite(source_dir: Path) -> Callable[[str, Callable[[list[str]], list[str]]], None]:
    """rewrite(name, edit): replace the lines of a (possibly gzipped) text file by edit(lines)."""

    def _rewrite(name: str, edit: Callable[[list[str]], list[str]]) -> None:
        path = source_dir / name
        opener = gzip.open if name.endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8") as handle:
            lines = handle.read().splitlines()
        lines = edit(lines)
        with opener(path, "wt", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")

    return _rewrite


def line_of(lines: list[str], prefix: str) -> int:
    """1-based line number of the first line starting with `prefix`."""
    return next(number for number, line in enumerate(lines, start=1) if line.startswith(prefix))
