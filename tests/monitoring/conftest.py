"""Fixtures of the monitoring tests: synthetic application files, a staff browser session."""

from __future__ import annotations

from pathlib import Path

import pytest

# Columns without missing values in the synthetic data, so Evidently uses the same
# method (Wasserstein distance above 1,000 rows) on every one: two of them shifted,
# the others drawn from the training distribution again.
SHIFTED = ("AMT_CREDIT", "DAYS_BIRTH")
UNCHANGED = ("AMT_INCOME_TOTAL", "AMT_ANNUITY", "CNT_CHILDREN", "NAME_CONTRACT_TYPE")
COMPARED = SHIFTED + UNCHANGED


def write_applications(path: Path, *, rows: int, seed: int, shifted: bool) -> Path:
    """A Kaggle application file of synthetic applicants, those of training's generator.

    `shifted`: the credits asked are twice as large and the applicants 30% younger
    (the change the demo shows: younger applicants asking for larger credits).
    """
    from ml import schema
    from ml.synthetic import generate
    from ml.synthetic.csv_writer import write_table_csv

    application = generate(rows, seed=seed)["application"].drop(columns=["TARGET"])
    if shifted:
        application["AMT_CREDIT"] = application["AMT_CREDIT"] * 2.0
        application["DAYS_BIRTH"] = (application["DAYS_BIRTH"] * 0.7).round()
    with open(path, "wb") as out:
        write_table_csv(application, schema.APPLICATION, out)
    return path


@pytest.fixture(scope="session")
def shifted_applications_csv(tmp_path_factory) -> Path:
    return write_applications(
        tmp_path_factory.mktemp("drift") / "application_shifted.csv",
        rows=1200,
        seed=99,
        shifted=True,
    )


@pytest.fixture
def staff_browser(client, risk_staff):
    client.force_login(risk_staff)
    return client
