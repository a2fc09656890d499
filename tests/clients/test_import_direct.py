"""The fast path: a plain file COPYed straight into its empty table, checked where it landed.

Whatever it cannot vouch for takes the staging path, so the rows stored, the
counts and the messages are those of the staging path in every case.
"""

from __future__ import annotations

import pytest
from django.db import connection

from clients.importer import HomeCreditImportError, direct, import_homecredit_dir, stream
from clients.models import Application, Bureau, PreviousApplication
from ml import schema
from tests.factories import ApplicationFactory

from .homecredit_files import (
    application_row,
    kaggle_fingerprint,
    other_session,
    write_csv,
    write_seven_files,
)
from .test_import_homecredit import table_definitions

pytestmark = pytest.mark.django_db


def _direct_by_file(report) -> dict[str, bool]:
    return {f.file_name: f.loaded_directly for f in report.files}


def test_plain_files_bound_for_empty_tables_go_straight_in(tmp_path):
    report = import_homecredit_dir(data_dir=write_seven_files(tmp_path / "homecredit"))

    assert _direct_by_file(report) == {
        "application_train.csv": True,
        # The table is no longer empty: its rows go through staging, which skips repeats.
        "application_test.csv.gz": False,
        "bureau.csv": True,
        "bureau_balance.csv": True,
        "previous_application.csv": True,
        # The monthly tables too: their key (the whole row) is an index built afterwards.
        "POS_CASH_balance.csv": True,
        "installments_payments.csv": True,
        "credit_card_balance.csv": True,
    }


def test_the_fast_path_stores_exactly_what_the_staging_path_stores(tmp_path, monkeypatch):
    folder = write_seven_files(tmp_path / "homecredit")
    fast = import_homecredit_dir(data_dir=folder)
    stored_fast = kaggle_fingerprint()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE application CASCADE")
    monkeypatch.setattr(direct, "can_copy_directly", lambda **kwargs: False)

    staged = import_homecredit_dir(data_dir=folder)

    assert not any(f.loaded_directly for f in staged.files)
    assert kaggle_fingerprint() == stored_fast
    assert [(f.rows_read, f.inserted, f.already_present) for f in fast.files] == [
        (f.rows_read, f.inserted, f.already_present) for f in staged.files
    ]


def test_a_copied_client_gets_its_times_from_the_database(tmp_path):
    """created_at and updated_at are not in the file: their database default fills them."""
    write_csv(tmp_path / "application_train.csv", schema.APPLICATION, [application_row(1)])

    report = import_homecredit_dir(data_dir=tmp_path)

    assert report.files[0].loaded_directly
    client = Application.objects.get()
    assert client.created_at is not None and client.updated_at == client.created_at
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name, column_default FROM information_schema.columns "
            "WHERE table_name = 'application' AND column_name IN ('created_at', 'updated_at')"
        )
        assert dict(cursor.fetchall()) == {
            "created_at": "statement_timestamp()",
            "updated_at": "statement_timestamp()",
        }


@pytest.mark.parametrize(
    ("table", "key", "model"),
    [
        (schema.PREVIOUS_APPLICATION, "SK_ID_PREV", PreviousApplication),
        # Its key is off during the COPY, and bureau_balance's link to it: both come back.
        (schema.BUREAU, "SK_ID_BUREAU", Bureau),
    ],
)
def test_a_key_repeated_in_a_file_bound_for_an_empty_table_is_read_again_and_kept_once(
    tmp_path, table, key, model
):
    write_csv(
        tmp_path / f"{table.name}.csv",
        table,
        [
            {key: 1, "SK_ID_CURR": 7, "AMT_CREDIT" if key == "SK_ID_PREV" else "AMT_ANNUITY": 10.0},
            {key: 1, "SK_ID_CURR": 7, "AMT_CREDIT" if key == "SK_ID_PREV" else "AMT_ANNUITY": 20.0},
        ],
    )
    ApplicationFactory(sk_id_curr=7)
    before = table_definitions()

    report = import_homecredit_dir(data_dir=tmp_path)

    assert (report.files[0].loaded_directly, report.inserted, report.already_present) == (
        False,
        1,
        1,
    )
    stored = model.objects.get()
    assert (stored.amt_credit if key == "SK_ID_PREV" else stored.amt_annuity) == 10.0
    assert table_definitions() == before


def test_a_key_taken_off_for_the_copy_is_back_with_the_links_to_it(tmp_path):
    ApplicationFactory(sk_id_curr=7)
    write_csv(tmp_path / "bureau.csv", schema.BUREAU, [{"SK_ID_BUREAU": 1, "SK_ID_CURR": 7}])
    before = table_definitions()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_constraint WHERE conname = 'bureau_pkey'")
        assert cursor.fetchone()[0] == 1

    report = import_homecredit_dir(data_dir=tmp_path)

    assert report.files[0].loaded_directly
    assert table_definitions() == before


def test_a_reader_of_a_table_linked_to_the_key_leaves_the_key_in_place(tmp_path, monkeypatch):
    """Taking bureau's key off drops bureau_balance's link: that waits for its readers briefly."""

    from clients.importer import loading

    monkeypatch.setattr(loading, "LOCK_TIMEOUT", "200ms")
    ApplicationFactory(sk_id_curr=7)
    write_csv(tmp_path / "bureau.csv", schema.BUREAU, [{"SK_ID_BUREAU": 1, "SK_ID_CURR": 7}])
    taken_off: list[list[str]] = []
    original = direct._key_off
    monkeypatch.setattr(
        direct, "_key_off", lambda *a, **k: taken_off.append(original(*a, **k)) or taken_off[-1]
    )
    with other_session() as reader:
        reader.execute("LOCK TABLE bureau_balance IN ACCESS SHARE MODE")

        report = import_homecredit_dir(data_dir=tmp_path)

    assert taken_off == [[]]  # the key stayed
    assert (report.files[0].loaded_directly, report.inserted) == (True, 1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('lock_timeout')")
        assert cursor.fetchone()[0] == "0"


def test_orphans_found_after_a_fast_copy_are_left_out_by_the_staging_path(tmp_path):
    """The client table held rows: the link stays, the import checks it itself."""
    ApplicationFactory(sk_id_curr=7)
    write_csv(
        tmp_path / "bureau.csv",
        schema.BUREAU,
        [{"SK_ID_CURR": 7, "SK_ID_BUREAU": 1}, {"SK_ID_CURR": 8, "SK_ID_BUREAU": 2}],
    )
    notes: list[str] = []

    report = import_homecredit_dir(data_dir=tmp_path, skip_orphans=True, progress=notes.append)

    assert (report.inserted, report.orphans_skipped) == (1, 1)
    assert list(Bureau.objects.values_list("sk_id_bureau", flat=True)) == [1]
    assert (
        "bureau.csv: rows whose parent is not in the database; reading it again through the "
        "staging table"
    ) in notes


def test_orphans_found_after_a_fast_copy_are_refused_with_their_first_line(tmp_path):
    ApplicationFactory(sk_id_curr=7)
    write_csv(
        tmp_path / "bureau.csv",
        schema.BUREAU,
        [{"SK_ID_CURR": 7, "SK_ID_BUREAU": 1}, {"SK_ID_CURR": 8, "SK_ID_BUREAU": 2}],
    )

    with pytest.raises(HomeCreditImportError) as error:
        import_homecredit_dir(data_dir=tmp_path)

    assert "1 row refers to a client that is not in the database (first: line 3" in str(error.value)
    assert not Bureau.objects.exists()


def test_a_nan_met_after_the_first_lines_is_read_as_missing_after_a_fast_copy(
    tmp_path, monkeypatch
):
    from clients.importer import dialect

    monkeypatch.setattr(dialect, "SAMPLE_BYTES", 700)  # line 1 and a few lines after it
    ApplicationFactory(sk_id_curr=7)
    rows = [{"SK_ID_CURR": 7, "SK_ID_BUREAU": n, "AMT_ANNUITY": 1000.5} for n in range(1, 40)]
    rows[-1]["AMT_ANNUITY"] = "NaN"
    write_csv(tmp_path / "bureau.csv", schema.BUREAU, rows)

    report = import_homecredit_dir(data_dir=tmp_path)

    assert (report.files[0].loaded_directly, report.inserted) == (False, 39)
    assert Bureau.objects.get(sk_id_bureau=39).amt_annuity is None
    assert Bureau.objects.get(sk_id_bureau=38).amt_annuity == 1000.5


@pytest.mark.parametrize(
    ("chunks", "seen"),
    [
        ([b"1,2.5,Cash loans\n", b"3,4,Revolving\n"], False),
        ([b"1,NaN,x\n"], True),
        ([b"1,-Infinity,x\n"], True),
        ([b"1,2,x\n1,n", b"an,x\n"], True),  # split across two chunks
        ([b"1,2,Information technology\n"], True),  # a text: checked in the database
    ],
)
def test_the_watch_flags_any_chunk_that_could_hold_a_number_that_is_not_finite(chunks, seen):
    watch = stream.NotFiniteWatch()
    for chunk in chunks:
        watch(chunk)
    assert watch.seen is seen


def test_partial_indexes_on_rows_an_import_never_makes_stay_in_place_while_it_loads(
    tmp_path, monkeypatch
):
    """The advisor's portfolio indexes hold clients with an advisor: imported rows have none."""
    from clients.importer import loading, service

    taken_off: list[str] = []
    reattach = loading.reattach

    def spy(cursor, detached, **kwargs):
        taken_off.extend(detached.indexes)
        return reattach(cursor, detached, **kwargs)

    monkeypatch.setattr(service, "reattach", spy)
    write_csv(tmp_path / "application_train.csv", schema.APPLICATION, [application_row(1)])

    import_homecredit_dir(data_dir=tmp_path)

    assert any("all_clients_by_income" in index for index in taken_off)
    assert not any("portfolio_by" in index for index in taken_off)
