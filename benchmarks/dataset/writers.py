"""Rows into tables in bulk: COPY on PostgreSQL, executemany on SQLite, with a progress bar.

The SQL is built from model metadata (table and column names), never from input."""

import time
from datetime import date, datetime
from itertools import chain

from django.core.management.base import CommandError
from django.db import connection


class Progress:
    """A progress bar on stderr; on a non-terminal, a line at each quarter."""

    def __init__(self, stream, label: str, total: int):
        self.stream = stream
        self.label = label
        self.total = max(total, 1)
        self.done_count = 0
        self.started = time.monotonic()
        self.tty = getattr(stream, "isatty", lambda: False)()
        self.last_draw = 0.0
        self.last_quarter = -1

    def update(self, count: int) -> None:
        self.done_count = count
        now = time.monotonic()
        if self.tty:
            if now - self.last_draw >= 0.2:
                self.last_draw = now
                self._draw("\r", "")
        else:
            quarter = 4 * count // self.total
            if quarter > self.last_quarter and quarter < 4:
                self.last_quarter = quarter
                self._draw("", "\n")

    def finish(self) -> float:
        self.done_count = self.total
        self._draw("\r" if self.tty else "", "\n")
        return time.monotonic() - self.started

    def _draw(self, start: str, end: str) -> None:
        fraction = min(self.done_count / self.total, 1.0)
        bar = "#" * int(fraction * 30)
        elapsed = time.monotonic() - self.started
        self.stream.write(
            f"{start}  {self.label:<24} [{bar:<30}] {self.done_count:>11,}/{self.total:,} "
            f"{fraction:4.0%} {elapsed:6.1f}s{end}"
        )
        self.stream.flush()


def table_layout(model, columns: tuple[str, ...]) -> tuple[tuple[str, ...], tuple]:
    """All of the table's columns: ours first, then every other column with its default.

    A column someone adds later with a default is filled; one without a default stops the run
    with a clear message instead of a NOT NULL violation halfway through the load."""
    fields = {field.column: field for field in model._meta.concrete_fields}
    unknown = set(columns) - set(fields)
    if unknown:
        raise CommandError(
            f"{model._meta.db_table} has no column(s) {sorted(unknown)}: update benchmarks/dataset."
        )
    extra_columns, extra_values = [], []
    for column, field in fields.items():
        if column in columns:
            continue
        value = field.get_default()
        if value is None and not field.null:
            raise CommandError(
                f"{model._meta.db_table}.{column} is NOT NULL without a default: "
                "teach benchmarks/dataset what to put there."
            )
        extra_columns.append(column)
        extra_values.append(field.get_db_prep_save(value, connection))
    return (*columns, *extra_columns), tuple(extra_values)


class Writer:
    """Writes rows of a model's table, completed with the defaults of the columns not given.

    `freeze` asks PostgreSQL to load the rows frozen (only for a table truncated in the same
    transaction), so no later VACUUM is needed for index-only scans."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, model, columns, rows, total: int, *, label: str, freeze: bool = False) -> None:
        all_columns, extra = table_layout(model, columns)
        complete_rows = (row + extra for row in rows) if extra else rows
        progress = Progress(self.stream, label, total)
        count = self.load(model._meta.db_table, all_columns, complete_rows, progress, freeze)
        progress.total = count or 1
        progress.finish()

    def write_records(self, model, records, total: int, *, label: str, freeze: bool = False):
        """Rows given as dicts of column -> value, every one with the first one's columns."""
        records = iter(records)
        first = next(records)
        columns = tuple(first)
        rows = (tuple(record.values()) for record in chain((first,), records))
        self.write(model, columns, rows, total, label=label, freeze=freeze)

    def load(self, table: str, columns: tuple, rows, progress: Progress, freeze: bool) -> int:
        """Loads the rows; answers how many."""
        raise NotImplementedError


class PostgresWriter(Writer):
    """COPY ... FROM STDIN through the psycopg 3 connection under Django's transaction."""

    batch = 20_000

    def load(self, table, columns, rows, progress, freeze) -> int:
        options = " WITH (FREEZE)" if freeze else ""
        count = 0
        with (
            connection.connection.cursor() as cursor,
            cursor.copy(f"COPY {table} ({quoted(columns)}) FROM STDIN{options}") as copy,
        ):
            for row in rows:
                copy.write_row(row)
                count += 1
                if count % self.batch == 0:
                    progress.update(count)
        return count


class SqliteWriter(Writer):
    """executemany with the backend's own conversions (naive UTC datetimes, ISO dates)."""

    batch = 5_000

    def load(self, table, columns, rows, progress, freeze) -> int:
        statement = (
            f"INSERT INTO {table} ({quoted(columns)}) VALUES ({', '.join('?' * len(columns))})"
        )
        raw = connection.connection
        chunk, count = [], 0
        for row in rows:
            chunk.append(tuple(_adapt(value) for value in row))
            if len(chunk) >= self.batch:
                raw.executemany(statement, chunk)
                count += len(chunk)
                chunk.clear()
                progress.update(count)
        if chunk:
            raw.executemany(statement, chunk)
            count += len(chunk)
        return count


def quoted(columns) -> str:
    return ", ".join(f'"{column}"' for column in columns)


def _adapt(value):
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return connection.ops.adapt_datefield_value(value)
    return value


def writer_for(stream) -> Writer:
    return PostgresWriter(stream) if connection.vendor == "postgresql" else SqliteWriter(stream)
