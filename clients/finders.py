"""Serve plotly.js from the installed `plotly` Python package.

The package ships `package_data/plotly.min.js` (about 3.5 MB): serving it from
there keeps a second copy out of the repository and keeps the JavaScript in
step with the Python version pinned in requirements.txt. Only that one file is
exposed, as `vendor/plotly/plotly.min.js`; the rest of `package_data`
(datasets, templates) stays out of the static files.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal, overload

from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import CheckMessage, Error
from django.core.files.storage import FileSystemStorage

PLOTLY_STATIC_PATH = "vendor/plotly/plotly.min.js"
_FILE_NAME = "plotly.min.js"


def _plotly_package_data() -> Path:
    import plotly

    return Path(plotly.__file__).resolve().parent / "package_data"


class _PlotlyStorage(FileSystemStorage):
    # collectstatic copies each listed file to `prefix/<path>`.
    prefix = PLOTLY_STATIC_PATH.rsplit("/", 1)[0]


class PlotlyFinder(BaseFinder):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.storage = _PlotlyStorage(location=str(_plotly_package_data()))

    def check(self, **kwargs: Any) -> list[CheckMessage]:
        if not self.storage.exists(_FILE_NAME):
            return [
                Error(
                    f"{_FILE_NAME} not found in {self.storage.location}",
                    hint="Install the plotly package pinned in requirements.txt.",
                    id="clients.E001",
                )
            ]
        return []

    @overload
    def find(self, path: str, find_all: Literal[False] = False, **kwargs: Any) -> str | None: ...
    @overload
    def find(self, path: str, find_all: Literal[True], **kwargs: Any) -> list[str]: ...
    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> str | list[str] | None:
        if path != PLOTLY_STATIC_PATH or not self.storage.exists(_FILE_NAME):
            return [] if find_all else None
        match = self.storage.path(_FILE_NAME)
        return [match] if find_all else match

    def list(self, ignore_patterns: Any) -> Iterator[tuple[str, FileSystemStorage]]:
        if self.storage.exists(_FILE_NAME):
            yield _FILE_NAME, self.storage
