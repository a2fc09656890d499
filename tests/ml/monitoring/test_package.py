import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_importing_the_package_loads_neither_evidently_nor_fairlearn():
    # Web processes import ml.monitoring at start-up; Evidently takes seconds to import.
    code = (
        "import sys, ml.monitoring as m\n"
        "from ml.monitoring import drift, psi, performance, stability, fairness, alerts\n"
        "m.Limits, m.population_stability_index, m.drift_report, m.fairness_report\n"
        "print(sorted(name for name in ('evidently', 'fairlearn') if name in sys.modules))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )

    assert completed.stdout.strip() == "[]"


def test_the_exported_names_exist():
    import ml.monitoring as monitoring

    for name in monitoring.__all__:
        assert getattr(monitoring, name) is not None
