"""The Home Credit importer service on good files: typed values, idempotence, real samples."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from clients.importer import HomeCreditImportError, import_homecredit_dir, service, staging, stream
from clients.models import (
    MODEL_FOR_TABLE,
    Application,
    Bureau,
    BureauBalance,
    CreditCardBalance,
    InstallmentsPayment,
    PosCashBalance,
    PreviousApplication,
)
from ml import schema

from .homecredit_files import (
    application_row,
    database_fingerprint,
    other_session,
    write_csv,
    write_seven_files,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def seven_files(tmp_path: Path) -> Path:
    return write_seven_files(tmp_path / "homecredit")


def test_all_seven_tables_are_imported_with_typed_values_and_nulls_kept(seven_files):
    report = import_homecredit_dir(data_dir=seven_files)

    assert [(f.file_name, f.inserted) for f in report.files] == [
        ("application_train.csv", 2),
        ("application_test.csv.gz", 1),
        ("bureau.csv", 2),
        ("bureau_balance.csv", 3),
        ("previous_application.csv", 1),
        ("POS_CASH_balance.csv", 2),
        ("installments_payments.csv", 1),
        ("credit_card_balance.csv", 1),
    ]
    first = Application.objects.get(sk_id_curr=100001)
    assert first.target == 1
    assert first.amt_credit == 406597.5
    assert first.ext_source_2 == 0.262949
    assert first.cnt_fam_members == 1.0
    assert first.days_birth == -9461
    assert first.code_gender == "F"
    assert first.ext_source_1 is None
    assert first.name_type_suite is None
    assert first.created_at is not None
    assert Application.objects.get(sk_id_curr=100002).days_employed == 365243
    # application_test has no TARGET column: its clients have no target.
    assert Application.objects.get(sk_id_curr=100003).target is None

    credit = Bureau.objects.get(sk_id_bureau=5000002)
    assert credit.application_id == 100003
    assert credit.amt_credit_sum == 225000.0
    assert credit.amt_annuity is None
    assert sorted(
        BureauBalance.objects.filter(bureau_id=5000001).values_list("months_balance", "status")
    ) == [(-1, "0"), (0, "C")]
    assert PreviousApplication.objects.get(sk_id_prev=2000001).hour_appr_process_start == 15
    assert sorted(PosCashBalance.objects.values_list("months_balance", flat=True)) == [-31, -30]
    assert InstallmentsPayment.objects.get().num_instalment_version == 1.0
    card = CreditCardBalance.objects.get()
    assert (card.application_id, card.amt_credit_limit_actual, card.sk_id_prev) == (
        100002,
        135000,
        2562384,
    )
    assert card.amt_payment_current is None


def test_a_second_run_adds_nothing_and_counts_every_row_as_already_present(seven_files):
    import_homecredit_dir(data_dir=seven_files)
    before = database_fingerprint()

    again = import_homecredit_dir(data_dir=seven_files)

    assert again.inserted == 0
    assert again.already_present == again.rows_read == 13
    assert database_fingerprint() == before


@pytest.mark.parametrize("table_held_rows", [False, True])
def test_rows_repeated_within_a_keyless_file_are_stored_once(tmp_path, table_held_rows):
    """Empty values count as equal: the row without a payment, twice, is stored once too."""
    write_csv(tmp_path / "application_train.csv", schema.APPLICATION, [application_row(1)])
    if table_held_rows:  # the rows are then inserted from the staging table, not copied
        earlier = {"SK_ID_PREV": 8, "SK_ID_CURR": 1, "NUM_INSTALMENT_NUMBER": 1}
        write_csv(tmp_path / "installments_payments.csv", schema.INSTALLMENTS_PAYMENTS, [earlier])
        import_homecredit_dir(data_dir=tmp_path)
    payment = {"SK_ID_PREV": 7, "SK_ID_CURR": 1, "NUM_INSTALMENT_NUMBER": 1, "AMT_PAYMENT": 10.0}
    other = {**payment, "AMT_PAYMENT": None}
    write_csv(
        tmp_path / "installments_payments.csv",
        schema.INSTALLMENTS_PAYMENTS,
        [payment, other, payment, other],
    )

    report = import_homecredit_dir(data_dir=tmp_path)

    payments = report.files[1]
    assert payments.loaded_directly is not table_held_rows
    assert (payments.rows_read, payments.inserted, payments.already_present) == (4, 2, 2)
    # An empty value and a value differ: the row with no payment is a row of its own.
    assert sorted(
        InstallmentsPayment.objects.filter(sk_id_prev=7).values_list("amt_payment", flat=True),
        key=str,
    ) == [10.0, None]


def test_a_new_month_of_a_loan_already_there_is_added_and_its_earlier_months_are_not(tmp_path):
    """Monthly files come as increments: the key of a monthly row is the whole row."""
    write_csv(tmp_path / "application_train.csv", schema.APPLICATION, [application_row(1)])
    month = {"SK_ID_PREV": 3, "SK_ID_CURR": 1, "MONTHS_BALANCE": -2, "NAME_CONTRACT_STATUS": ""}
    path = write_csv(tmp_path / "POS_CASH_balance.csv", schema.POS_CASH_BALANCE, [month])
    import_homecredit_dir(data_dir=tmp_path)
    write_csv(path, schema.POS_CASH_BALANCE, [month, {**month, "MONTHS_BALANCE": -1}])

    again = import_homecredit_dir(data_dir=tmp_path)

    assert (again.files[1].inserted, again.files[1].already_present) == (1, 1)
    assert sorted(PosCashBalance.objects.values_list("months_balance", flat=True)) == [-2, -1]


def test_the_database_itself_refuses_a_monthly_row_twice_even_with_empty_values(tmp_path):
    from django.db import IntegrityError, transaction

    write_csv(tmp_path / "application_train.csv", schema.APPLICATION, [application_row(1)])
    import_homecredit_dir(data_dir=tmp_path)
    card = {"application_id": 1, "sk_id_prev": 5, "months_balance": -1, "amt_balance": None}
    CreditCardBalance.objects.create(**card)

    with pytest.raises(IntegrityError), transaction.atomic():
        CreditCardBalance.objects.create(**card)
    CreditCardBalance.objects.create(**{**card, "amt_balance": 0.0})  # a value is another row
    assert CreditCardBalance.objects.count() == 2


def test_columns_may_come_in_any_order(tmp_path):
    columns = list(reversed(schema.BUREAU_BALANCE.column_names))
    write_csv(tmp_path / "application_train.csv", schema.APPLICATION, [application_row(1)])
    write_csv(
        tmp_path / "bureau.csv",
        schema.BUREAU,
        [{"SK_ID_CURR": 1, "SK_ID_BUREAU": 10}],
        columns=list(reversed(schema.BUREAU.column_names)),
    )
    write_csv(
        tmp_path / "bureau_balance.csv",
        schema.BUREAU_BALANCE,
        [{"SK_ID_BUREAU": 10, "MONTHS_BALANCE": -3, "STATUS": "1"}],
        columns=columns,
    )

    import_homecredit_dir(data_dir=tmp_path)

    balance = BureauBalance.objects.get()
    assert (balance.bureau_id, balance.months_balance, balance.status) == (10, -3, "1")


def test_history_rows_may_refer_to_clients_imported_before(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    write_csv(first / "application_test.csv", schema.APPLICATION, [application_row(42)])
    write_csv(second / "bureau.csv", schema.BUREAU, [{"SK_ID_CURR": 42, "SK_ID_BUREAU": 1}])
    import_homecredit_dir(data_dir=first)

    report = import_homecredit_dir(data_dir=second)

    assert report.inserted == 1
    assert Bureau.objects.get().application_id == 42


def test_skip_orphans_leaves_out_history_rows_without_a_client_and_counts_them(tmp_path):
    write_csv(tmp_path / "application_train.csv", schema.APPLICATION, [application_row(1)])
    write_csv(
        tmp_path / "bureau.csv",
        schema.BUREAU,
        [
            {"SK_ID_CURR": 1, "SK_ID_BUREAU": 10},
            {"SK_ID_CURR": 2, "SK_ID_BUREAU": 20},
            {"SK_ID_CURR": 3, "SK_ID_BUREAU": 30},
        ],
    )
    # The balance of credit 20 hangs off a credit left out above: an orphan too.
    write_csv(
        tmp_path / "bureau_balance.csv",
        schema.BUREAU_BALANCE,
        [{"SK_ID_BUREAU": 10, "MONTHS_BALANCE": 0}, {"SK_ID_BUREAU": 20, "MONTHS_BALANCE": 0}],
    )

    report = import_homecredit_dir(data_dir=tmp_path, skip_orphans=True)

    bureau, balance = report.files[1], report.files[2]
    assert (bureau.rows_read, bureau.inserted, bureau.orphans_skipped) == (3, 1, 2)
    assert (balance.rows_read, balance.inserted, balance.orphans_skipped) == (2, 1, 1)
    assert list(Bureau.objects.values_list("sk_id_bureau", flat=True)) == [10]


def test_a_history_row_written_differently_is_still_recognised_on_a_second_run(tmp_path):
    """Rows are compared by typed value: "48.0" and "48" are the same instalment count."""
    write_csv(tmp_path / "application_train.csv", schema.APPLICATION, [application_row(1)])
    path = write_csv(
        tmp_path / "POS_CASH_balance.csv",
        schema.POS_CASH_BALANCE,
        [{"SK_ID_PREV": 3, "SK_ID_CURR": 1, "MONTHS_BALANCE": -2, "CNT_INSTALMENT": "48.0"}],
    )
    import_homecredit_dir(data_dir=tmp_path)
    path.write_text(path.read_text().replace("48.0", "48"))

    again = import_homecredit_dir(data_dir=tmp_path)

    assert again.inserted == 0
    assert PosCashBalance.objects.count() == 1


def test_a_file_with_only_its_header_imports_nothing(tmp_path):
    write_csv(tmp_path / "application_test.csv", schema.APPLICATION, [])

    report = import_homecredit_dir(data_dir=tmp_path)

    assert (report.rows_read, report.inserted) == (0, 0)


def test_long_files_report_rows_so_far_while_they_are_read(tmp_path, monkeypatch):
    monkeypatch.setattr(stream, "CHUNK_BYTES", 512)
    monkeypatch.setattr(staging, "PROGRESS_EVERY_SECONDS", 0.001)
    write_csv(
        tmp_path / "application_test.csv",
        schema.APPLICATION,
        [application_row(n) for n in range(1, 101)],
    )
    notes: list[str] = []

    import_homecredit_dir(data_dir=tmp_path, progress=notes.append)

    so_far = [n for n in notes if "rows so far" in n]
    assert re.fullmatch(r"application_test\.csv: \d+ rows so far, [\d,]+ rows/s", so_far[0])
    assert notes[-1].startswith("application_test.csv: 100 rows read in")


def test_the_heartbeat_speaks_every_few_moments_while_sql_runs(monkeypatch):
    monkeypatch.setattr(staging, "PROGRESS_EVERY_SECONDS", 0.01)
    notes: list[str] = []

    with service._heartbeat(notes.append, lambda seconds: "still inserting"):
        time.sleep(0.2)
    after = len(notes)
    time.sleep(0.05)

    assert after >= 3
    assert set(notes) == {"still inserting"}
    assert len(notes) == after  # and falls silent when the block ends


def test_unknown_files_are_ignored_with_a_note(seven_files):
    (seven_files / "README.md").write_text("notes")
    (seven_files / "HomeCredit_columns_description.csv").write_text("a,b\n")
    notes: list[str] = []

    report = import_homecredit_dir(data_dir=seven_files, progress=notes.append)

    assert report.ignored_files == ("HomeCredit_columns_description.csv", "README.md")
    assert "README.md: not a Home Credit file, ignored" in notes
    assert len(report.files) == 8


def test_progress_ends_each_file_with_its_counts_and_speed(seven_files):
    notes: list[str] = []

    import_homecredit_dir(data_dir=seven_files, progress=notes.append)

    bureau_line = next(n for n in notes if n.startswith("bureau.csv: 2 rows read"))
    assert "2 rows read in" in bureau_line
    assert "rows/s): 2 inserted, 0 already present" in bureau_line


def test_a_blank_last_line_is_tolerated(tmp_path):
    path = write_csv(tmp_path / "application_test.csv", schema.APPLICATION, [application_row(5)])
    path.write_bytes(path.read_bytes() + b"\n\n")

    report = import_homecredit_dir(data_dir=tmp_path)

    assert report.inserted == 1


def test_windows_line_endings_and_a_byte_order_mark_are_read(tmp_path):
    path = write_csv(tmp_path / "application_test.csv", schema.APPLICATION, [application_row(5)])
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))

    import_homecredit_dir(data_dir=tmp_path)

    assert Application.objects.get().code_gender == "F"


def test_a_folder_without_any_home_credit_file_is_an_error(tmp_path):
    (tmp_path / "notes.txt").write_text("nothing here")

    with pytest.raises(HomeCreditImportError, match="none of the Home Credit files is there"):
        import_homecredit_dir(data_dir=tmp_path)


def test_a_missing_folder_is_an_error(tmp_path):
    with pytest.raises(HomeCreditImportError, match="no such folder"):
        import_homecredit_dir(data_dir=tmp_path / "absent")


# --- The real Kaggle samples --------------------------------------------------------------


def test_the_lia_git_sample_imports_with_skip_orphans_and_a_second_run_adds_nothing(
    homecredit_samples,
):
    folder = homecredit_samples / "lia-git__credit_predict"

    first = import_homecredit_dir(data_dir=folder, skip_orphans=True)
    before = database_fingerprint()
    second = import_homecredit_dir(data_dir=folder, skip_orphans=True)

    assert [f.rows_read for f in first.files] == [199] * 8
    # The first 199 rows of each file: only two instalments belong to those clients.
    assert [f.inserted for f in first.files] == [199, 199, 0, 0, 0, 0, 2, 0]
    assert [f.orphans_skipped for f in first.files] == [0, 0, 199, 199, 199, 199, 197, 199]
    assert Application.objects.count() == 398
    assert first.ignored_files == ()
    assert second.inserted == 0
    assert [f.orphans_skipped for f in second.files] == [f.orphans_skipped for f in first.files]
    assert database_fingerprint() == before


def test_the_gitadum_training_sample_imports_in_full_and_adopts_history_of_its_clients(
    homecredit_samples, tmp_path
):
    """30,752 real applications; then the independent history sample finds some of them."""
    (tmp_path / "application_train.csv.gz").symlink_to(
        homecredit_samples / "gitadum__credit_risk_rating" / "application_train.csv.gz"
    )

    report = import_homecredit_dir(data_dir=tmp_path)

    assert report.inserted == 30_752
    assert Application.objects.count() == 30_752
    assert Application.objects.filter(target=1).count() == 2_449
    history = import_homecredit_dir(
        data_dir=homecredit_samples / "samurad2000__BDA-project_work", skip_orphans=True
    )
    bureau = history.files[0]
    assert bureau.file_name == "bureau.csv"
    assert 0 < bureau.inserted < bureau.rows_read == 20_000
    assert bureau.inserted + bureau.orphans_skipped == 20_000
    assert Bureau.objects.count() == bureau.inserted


def test_history_only_samples_are_refused_while_their_clients_are_absent(homecredit_samples):
    folder = homecredit_samples / "samurad2000__BDA-project_work"

    with pytest.raises(HomeCreditImportError) as refused:
        import_homecredit_dir(data_dir=folder)
    assert str(refused.value).startswith(
        "bureau.csv: 20,000 rows refer to clients that are not in the database (first: line 2,"
    )

    report = import_homecredit_dir(data_dir=folder, skip_orphans=True)
    assert report.inserted == 0
    assert report.orphans_skipped == report.rows_read == 100_000


def test_the_planner_statistics_of_the_loaded_tables_are_refreshed(seven_files):
    """Without it Postgres plans the first scores after an import with empty-table figures."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT now()")
        (started,) = cursor.fetchone()

    import_homecredit_dir(data_dir=seven_files)

    with connection.cursor() as cursor:
        # now() is the start of the test's transaction: clock_timestamp() moves on.
        cursor.execute(
            "SELECT relname FROM pg_stat_user_tables WHERE last_analyze >= %s", [started]
        )
        analyzed = {name for (name,) in cursor.fetchall()}
    assert {"application", "bureau", "bureau_balance", "pos_cash_balance"} <= analyzed


# --- Loading into empty tables: indexes and links taken off, then put back --------------------


def table_definitions() -> list[tuple[str, str, str]]:
    """Every index and constraint of the client tables, as Postgres would recreate them."""
    from django.db import connection

    tables = [model._meta.db_table for model in MODEL_FOR_TABLE.values()]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
            "UNION ALL SELECT conrelid::regclass::text, conname, "
            "pg_get_constraintdef(oid) || CASE WHEN convalidated THEN '' ELSE ' NOT VALID' END "
            "FROM pg_constraint WHERE conrelid::regclass::text = ANY(%s) ORDER BY 1, 2, 3",
            [tables, tables],
        )
        return cursor.fetchall()


def test_a_first_load_puts_every_index_and_constraint_back_as_it_was(seven_files):
    from django.db import connection

    before = table_definitions()
    assert len(before) > 40

    report = import_homecredit_dir(data_dir=seven_files)

    assert report.inserted == 13
    assert table_definitions() == before
    with connection.cursor() as cursor:  # and the lock timeout set meanwhile is undone
        cursor.execute("SELECT current_setting('lock_timeout')")
        assert cursor.fetchone()[0] == "0"


def test_rows_repeated_in_a_file_loaded_into_an_empty_table_keep_the_first_line(tmp_path):
    """bureau_balance loses its (credit, month) unique constraint while it fills."""
    write_csv(tmp_path / "application_train.csv", schema.APPLICATION, [application_row(1)])
    write_csv(tmp_path / "bureau.csv", schema.BUREAU, [{"SK_ID_CURR": 1, "SK_ID_BUREAU": 10}])
    write_csv(
        tmp_path / "bureau_balance.csv",
        schema.BUREAU_BALANCE,
        [
            {"SK_ID_BUREAU": 10, "MONTHS_BALANCE": 0, "STATUS": "C"},
            {"SK_ID_BUREAU": 10, "MONTHS_BALANCE": -1, "STATUS": "0"},
            {"SK_ID_BUREAU": 10, "MONTHS_BALANCE": 0, "STATUS": "X"},
            {"SK_ID_BUREAU": 10, "MONTHS_BALANCE": -1, "STATUS": "1"},
        ],
    )

    report = import_homecredit_dir(data_dir=tmp_path)

    balance = report.files[2]
    assert (balance.rows_read, balance.inserted, balance.already_present) == (4, 2, 2)
    assert sorted(BureauBalance.objects.values_list("months_balance", "status")) == [
        (-1, "0"),
        (0, "C"),
    ]


def test_links_are_still_enforced_after_a_first_load(seven_files):
    from django.db import IntegrityError, transaction

    import_homecredit_dir(data_dir=seven_files)

    with pytest.raises(IntegrityError), transaction.atomic():
        Bureau.objects.create(sk_id_bureau=1, application_id=424242)
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_tables_that_held_rows_keep_their_indexes_while_they_fill(tmp_path):
    from django.db import connection

    from clients.importer.loading import detach, empty_tables

    write_csv(tmp_path / "application_train.csv", schema.APPLICATION, [application_row(1)])
    import_homecredit_dir(data_dir=tmp_path)

    with connection.cursor() as cursor:
        empty = empty_tables(cursor)
        assert "application" not in empty and "bureau" in empty
        assert detach(cursor, schema.APPLICATION, empty_at_start=empty) is None
        bureau = detach(cursor, schema.BUREAU, empty_at_start=empty)
    # Its parent held rows: the foreign key stays (dropping it would lock the clients).
    assert bureau.indexes and not bureau.foreign_keys


@pytest.mark.parametrize("table_held_rows", [False, True])
def test_a_key_repeated_within_a_file_keeps_its_first_line(tmp_path, table_held_rows):
    if table_held_rows:
        write_csv(tmp_path / "application_test.csv", schema.APPLICATION, [application_row(9)])
        import_homecredit_dir(data_dir=tmp_path)
        (tmp_path / "application_test.csv").unlink()
    write_csv(
        tmp_path / "application_train.csv",
        schema.APPLICATION,
        [
            application_row(1, AMT_CREDIT=100.0),
            application_row(2),
            application_row(1, AMT_CREDIT=999.0),
        ],
    )

    report = import_homecredit_dir(data_dir=tmp_path)

    assert (report.files[0].inserted, report.files[0].already_present) == (2, 1)
    assert Application.objects.get(sk_id_curr=1).amt_credit == 100.0


def test_a_reader_of_an_empty_table_does_not_hold_the_import_up(tmp_path, monkeypatch):
    """Taking a table's indexes off waits a few moments for its readers, then loads it as is."""
    from django.db import connection

    from clients.importer import loading

    monkeypatch.setattr(loading, "LOCK_TIMEOUT", "200ms")
    write_csv(tmp_path / "application_train.csv", schema.APPLICATION, [application_row(1)])
    write_csv(tmp_path / "bureau.csv", schema.BUREAU, [{"SK_ID_CURR": 1, "SK_ID_BUREAU": 10}])
    with other_session() as reader:
        reader.execute("LOCK TABLE bureau IN ACCESS SHARE MODE")

        report = import_homecredit_dir(data_dir=tmp_path)

    assert report.inserted == 2
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('lock_timeout')")
        assert cursor.fetchone()[0] == "0"


# --- Links to clients already in the database ---------------------------------------------


def disabled_triggers() -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT tgname FROM pg_trigger WHERE tgenabled = 'D'")
        return [name for (name,) in cursor.fetchall()]


@pytest.mark.parametrize("superuser", [True, False], ids=["checked at once", "row by row"])
def test_history_of_clients_already_there_is_linked_and_orphans_still_refused(
    tmp_path, monkeypatch, superuser
):
    """A superuser's import checks the links itself; anyone else's lets each row be checked."""
    monkeypatch.setattr(service, "is_superuser", lambda cursor: superuser)
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    write_csv(first / "application_test.csv", schema.APPLICATION, [application_row(42)])
    import_homecredit_dir(data_dir=first)
    rows = [{"SK_ID_CURR": 42, "SK_ID_BUREAU": 1}, {"SK_ID_CURR": 43, "SK_ID_BUREAU": 2}]
    write_csv(second / "bureau.csv", schema.BUREAU, rows)

    with pytest.raises(HomeCreditImportError, match=r"1 row refers to a client .*line 3"):
        import_homecredit_dir(data_dir=second)
    report = import_homecredit_dir(data_dir=second, skip_orphans=True)

    assert (report.inserted, report.orphans_skipped) == (1, 1)
    assert list(Bureau.objects.values_list("sk_id_bureau", "application_id")) == [(1, 42)]
    assert disabled_triggers() == []


@pytest.mark.django_db(transaction=True)
def test_clients_whose_history_is_being_imported_cannot_be_deleted_meanwhile(tmp_path):
    import psycopg

    # Client 1 without history, client 2 with a credit: bureau is not empty, so it keeps
    # its indexes (and nobody waits for the table itself).
    write_csv(
        tmp_path / "application_test.csv",
        schema.APPLICATION,
        [application_row(1), application_row(2)],
    )
    write_csv(tmp_path / "bureau.csv", schema.BUREAU, [{"SK_ID_CURR": 2, "SK_ID_BUREAU": 20}])
    import_homecredit_dir(data_dir=tmp_path)
    (tmp_path / "application_test.csv").unlink()
    write_csv(tmp_path / "bureau.csv", schema.BUREAU, [{"SK_ID_CURR": 1, "SK_ID_BUREAU": 10}])
    outcome: list[str] = []

    def try_to_delete_the_client(message: str) -> None:
        if "rows read in" not in message:
            return
        # The file is in, the run not committed yet: another session deletes the client.
        with other_session(autocommit=True) as other:
            other.execute("SET lock_timeout = '300ms'")
            try:
                other.execute("DELETE FROM application WHERE sk_id_curr = 1")
                outcome.append("deleted")
            except psycopg.errors.LockNotAvailable:
                outcome.append("had to wait")

    import_homecredit_dir(data_dir=tmp_path, progress=try_to_delete_the_client)

    assert outcome == ["had to wait"]
    assert Bureau.objects.get(sk_id_bureau=10).application_id == 1
