"""The example notebook (examples/quickstart.ipynb) runs: every code cell, in order, as one
script from the repository's root, with its outputs in a temporary folder."""

import json
import os

import pytest

from conftest import REPO


def test_the_quickstart_notebook_runs(tmp_path, monkeypatch):
    notebook = json.loads((REPO / "examples" / "quickstart.ipynb").read_text())
    cells = ["".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code"]
    assert len(cells) >= 8
    monkeypatch.chdir(REPO)
    monkeypatch.setenv("ALPHASEQ_EXAMPLE_OUT", str(tmp_path))
    scope: dict = {}
    for i, source in enumerate(cells):
        try:
            exec(compile(source, f"quickstart.ipynb cell {i}", "exec"), scope)
        except Exception as e:  # name the cell
            pytest.fail(f"code cell {i} failed: {type(e).__name__}: {e}\n{source}")
    assert (tmp_path / "notebook-quickstart" / "COMPLETE").exists()
    assert (tmp_path / "notebook-network" / "model.safetensors").exists()
    assert os.path.exists(scope["run"].report_path)
