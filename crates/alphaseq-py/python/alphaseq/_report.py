"""A record with its HTML report: the base of the tear sheets' return values."""

from __future__ import annotations

import html
import json
import os
from pathlib import Path


def inline(page: str) -> str:
    """An HTML page as an iframe that Jupyter shows inline."""
    quoted = html.escape(page, quote=True)
    return f'<iframe srcdoc="{quoted}" style="width:100%;height:720px;border:0"></iframe>'


class Sheet(dict):
    """A record (a dict as the command's ``--json`` prints it) with its HTML report in
    ``html``, shown inline in Jupyter; ``save`` writes both as the command's ``--out`` does."""

    html: str
    #: the file names ``save`` writes: the record (JSON), then the report
    files: tuple[str, str]

    def _repr_html_(self) -> str:
        return inline(self.html)

    def save(self, folder: str | os.PathLike[str]) -> Path:
        """Writes the record and the report into ``folder``; returns the report's path."""
        record, report = self.files
        out = Path(folder)
        out.mkdir(parents=True, exist_ok=True)
        (out / record).write_text(json.dumps(dict(self), indent=2))
        (out / report).write_text(self.html)
        return out / report
