"""`python -m ml.monitoring drift` on files, as risk staff or an engineer would run it."""

import json
import re

import pytest

from ml.monitoring.__main__ import main


@pytest.fixture(scope="module")
def synthetic_files(tmp_path_factory):
    from ml.synthetic import generate_to_dir

    folder = tmp_path_factory.mktemp("synthetic")
    generate_to_dir(n_clients=400, test_clients=400, out_dir=folder, seed=0)
    return folder / "application_train.csv", folder / "application_test.csv"


@pytest.mark.slow
def test_a_drift_report_between_two_application_files(synthetic_files, tmp_path, capsys):
    train, test = synthetic_files
    html, summary = tmp_path / "report.html", tmp_path / "summary.json"

    status = main(["drift", "--reference", str(train), "--current", str(test),
                   "--out", str(html), "--json", str(summary)])  # fmt: skip

    assert status == 0
    data = json.loads(summary.read_text())
    assert data["rows"] == {"reference": 400, "current": 400}
    assert data["columns_compared"] > 100  # the raw application columns and the APP_ ratios
    # History features cannot be computed from an application file alone.
    reasons = {item["column"]: item["reason"] for item in data["not_comparable"]}
    assert reasons["BUREAU_COUNT"] == "all_missing_in_reference"
    assert data["context"] == {"reference": str(train), "current": str(test)}
    assert not re.search(r"<script[^>]*\bsrc=", html.read_text())
    printed = capsys.readouterr().out
    assert "columns compared" in printed and f"HTML report: {html}" in printed


def test_a_missing_file_is_a_clear_error(tmp_path, capsys):
    status = main(["drift", "--reference", str(tmp_path / "nope.csv"),
                   "--current", str(tmp_path / "nope.csv")])  # fmt: skip

    assert status == 2
    assert "no file" in capsys.readouterr().err


def test_a_file_that_is_not_an_application_file_is_a_clear_error(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("SK_ID_CURR,SOMETHING\n1,2\n")

    status = main(["drift", "--reference", str(bad), "--current", str(bad)])

    assert status == 2
    assert "missing column" in capsys.readouterr().err
