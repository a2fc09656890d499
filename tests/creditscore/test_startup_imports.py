"""Start-up does not import the model's libraries: they load with the first model.

`manage.py check` (and so every management command, `migrate` included) and the
web process import every URL module and admin module; LightGBM and the
scikit-learn and SciPy it pulls in cost about a second of CPU there. They are
imported when a model is first read (ml.artifact.read_artifact).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("lightgbm", "sklearn", "scipy")

STARTUP = """
import json, sys
import django
from django.core.management import call_command
from django.urls import get_resolver

django.setup()
get_resolver().url_patterns  # every URL module, as the web process's first request does
call_command("check", verbosity=0)
print(json.dumps(sorted(name for name in {heavy!r} if name in sys.modules)))
"""


def _heavy_modules_loaded(script: str, heavy: tuple[str, ...]) -> list[str]:
    """Which of `heavy` a fresh Python process running `script` has imported."""
    result = subprocess.run(
        [sys.executable, "-c", script.format(heavy=heavy)],
        cwd=PROJECT_ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "creditscore.settings.test"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_check_and_the_url_modules_do_not_import_lightgbm_or_scikit_learn():
    assert _heavy_modules_loaded(STARTUP, HEAVY) == []


COMMAND_STARTUP = """
import json, sys
import django

django.setup()  # what every management command does first (the admin modules included)
print(json.dumps(sorted(name for name in {heavy!r} if name in sys.modules)))
"""


def test_a_management_command_starts_without_pandas_numpy_or_the_model_libraries():
    """An import of a file (manage.py import_homecredit) paid 1.2 s of start-up for them."""
    heavy = (*HEAVY, "pandas", "numpy", "evidently", "plotly")

    assert _heavy_modules_loaded(COMMAND_STARTUP, heavy) == []


def test_reading_a_model_imports_lightgbm(trained_artifact):
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from ml.predict import load_model; "
            f"load_model({str(trained_artifact)!r}); print('lightgbm' in sys.modules)",
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )

    assert result.stdout.strip().splitlines()[-1] == "True"
