"""Strict CSV reading shared by every source parser.

Why not plain ``pandas.read_csv``: it silently pads a short (truncated) row with
empty values, treats a row with one field too many as an index, and guesses types
(so a quoted ``"3.29E-06"`` makes a whole NMC column text). Here every field is
read as text with the standard library's strict CSV reader, each row's field count
is checked against the header, and each column is then converted explicitly, with
the source's missing-value codes mapped to NA and any other non-number reported
with its row and column.
"""

from __future__ import annotations

import csv
import io
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DuplicateKeyError, MalformedCSVError, MissingColumnError, SchemaValidationError


def _restore(path: Path, publisher_fix: str) -> str:
    """How to get a good copy of ``path`` back: ``make data`` for a publisher file of the registry; for a
    file the project authors (anything else), correct it or restore it from git (make data cannot)."""
    from .registry import entries

    path = Path(path)
    if path.name in {e.file for e in entries()}:
        return publisher_fix
    first = publisher_fix[0]
    restore = (f"correct it, or restore it with `git checkout -- data/raw/{path.name}` (`make data` does not fetch "
               f"files the project authors)")
    return restore[0].upper() + restore[1:] if first.isupper() else restore


def read_text_table(path: Path, *, encoding: str, required: Sequence[str]) -> pd.DataFrame:
    """Read ``path`` into a DataFrame of strings (nullable ``string`` dtype, no NA yet)."""
    path = Path(path)
    raw = path.read_bytes()
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + raw[: exc.start].count(b"\r") - raw[: exc.start].count(b"\r\n") + 1
        raise MalformedCSVError(
            f"{path}: byte 0x{raw[exc.start]:02x} at offset {exc.start} (about line {line}) is not valid "
            f"{encoding}. The file was probably re-saved in another encoding; {_restore(path, 'fetch the original with `make data`')}."
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    # Normalise the three line-ending styles the publishers use (CRLF, LF, bare CR).
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise MalformedCSVError(f"{path}: the file is empty. {_restore(path, 'Fetch it again with `make data`')}.")
    try:
        rows = list(csv.reader(io.StringIO(text), strict=True))
    except csv.Error as exc:
        raise MalformedCSVError(f"{path}: CSV syntax error ({exc}); the file is probably truncated inside a "
                                f"quoted field. {_restore(path, 'Fetch it again with `make data`')}.") from None
    while rows and rows[-1] == []:
        rows.pop()
    header = [h.strip() for h in rows[0]]
    missing = [c for c in required if c not in header]
    if missing:
        raise MissingColumnError(
            f"{path}: missing column(s) {', '.join(missing)}. Found: {', '.join(header)}. "
            f"The file is not the registered release or was edited; {_restore(path, 'fetch the original with `make data`')}.")
    width = len(header)
    for i, row in enumerate(rows[1:], start=2):
        if len(row) != width:
            raise MalformedCSVError(
                f"{path}: line {i} has {len(row)} fields but the header has {width}"
                + (" (the file looks truncated)" if i == len(rows) else "")
                + f". {_restore(path, 'Fetch the file again with `make data`')}.")
    return pd.DataFrame(rows[1:], columns=header, dtype="string")


def to_number(df: pd.DataFrame, column: str, *, path: Path, na_codes: Iterable[float] = (),
              na_strings: Iterable[str] = ("",), integer: bool = False) -> pd.Series:
    """Convert a text column to a nullable number, mapping missing codes to NA.

    Anything that is neither a number nor a declared missing code raises
    :class:`MalformedCSVError` naming the row and the value.
    """
    text = df[column].str.strip()
    is_na_string = text.isin(list(na_strings))
    values = pd.to_numeric(text.mask(is_na_string), errors="coerce")
    bad = values.isna() & ~is_na_string
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise MalformedCSVError(
            f"{path}: column '{column}', line {i + 2}: value {df[column].iloc[i]!r} is not a number "
            f"or a known missing-value code. {_restore(path, 'Check the file against the registry with `make data`')}.")
    codes = list(na_codes)
    if codes:
        values = values.mask(values.isin(codes))
    if integer:
        frac = values.dropna() % 1 != 0
        if frac.any():
            i = int(frac.index[frac.to_numpy()][0])
            raise MalformedCSVError(f"{path}: column '{column}', line {i + 2}: expected a whole number, "
                                    f"got {df[column].iloc[i]!r}.")
        return values.astype("Int64")
    return values.astype("Float64")


def to_date(year: pd.Series, month: pd.Series, day: pd.Series) -> pd.Series:
    """A datetime from nullable year/month/day columns; NA where any part is NA."""
    ok = year.notna() & month.notna() & day.notna()
    parts = pd.DataFrame({"year": year.where(ok, 2000), "month": month.where(ok, 1), "day": day.where(ok, 1)})
    try:
        dates = pd.to_datetime(parts.astype("int64"), errors="raise")
    except (ValueError, OverflowError) as exc:
        raise MalformedCSVError(f"impossible calendar date in the file ({exc}).") from None
    # A fixed unit keeps the dtype the same across pandas versions (2.x: ns, 3.x: inferred).
    return dates.where(ok).astype("datetime64[ns]")


def to_text(df: pd.DataFrame, column: str, *, na_strings: Iterable[str] = ("",)) -> pd.Series:
    text = df[column].str.strip()
    return text.mask(text.isin(list(na_strings))).astype("string")


def check_unique(df: pd.DataFrame, key: Sequence[str], *, path: Path, hint: str = "") -> None:
    dup = df.duplicated(list(key), keep=False)
    if dup.any():
        example = df.loc[dup, list(key)].head(4).to_dict("records")
        lines = (np.flatnonzero(dup.to_numpy()) + 2)[:6].tolist()  # +2: the header is line 1
        raise DuplicateKeyError(
            f"{path}: lines {lines}: {int(dup.sum())} rows share a key ({', '.join(key)}) that must be unique, "
            f"e.g. {example}. "
            + (hint or f"The file was edited or appended to; {_restore(path, 'fetch the original with `make data`')}."))


def validate(schema, df: pd.DataFrame, *, path: Path,
             fix: str = "The file differs from the registered release; fetch it with `make data`.") -> pd.DataFrame:
    """Validate with pandera, turning its error into one that names the file."""
    import pandera.errors as pae

    try:
        return schema.validate(df, lazy=True)
    except (pae.SchemaErrors, pae.SchemaError) as exc:
        cases = getattr(exc, "failure_cases", None)
        detail = cases.head(5).to_string() if cases is not None else str(exc)
        raise SchemaValidationError(f"{path}: the parsed table breaks schema '{schema.name}':\n{detail}\n{fix}") from None


def warn_outside(what: str, requested: Sequence[int] | pd.Series, lo: int, hi: int) -> None:
    """Warn that values outside a source's coverage [lo, hi] will be NA."""
    req = pd.Series(requested).dropna()
    out = req[(req < lo) | (req > hi)]
    if len(out):
        warnings.warn(f"{what} covers {lo}-{hi}; {len(out)} requested year(s) outside it "
                      f"(e.g. {int(out.iloc[0])}) are NA.", stacklevel=3)
