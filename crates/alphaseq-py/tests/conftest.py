"""Shared paths: the repository, its committed fixtures and the sample data."""

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
FIXTURES = REPO / "crates" / "alphaseq" / "tests" / "fixtures"
SAMPLE = REPO / "data" / "sample" / "prices.csv.gz"


@pytest.fixture(scope="session")
def cli() -> Path:
    """The ``alphaseq`` binary to compare with: $ALPHASEQ_CLI (CI sets it to the one
    ``cargo test`` built), else one in target/."""
    given = os.environ.get("ALPHASEQ_CLI")
    candidates = [Path(given)] if given else [
        REPO / "target" / "release" / "alphaseq",
        REPO / "target" / "debug" / "alphaseq",
    ]
    for c in candidates:
        if c.exists():
            return c
    found = shutil.which("alphaseq")
    if found:
        return Path(found)
    pytest.fail("no alphaseq binary: build it (cargo build -p alphaseq-cli) or set ALPHASEQ_CLI")
