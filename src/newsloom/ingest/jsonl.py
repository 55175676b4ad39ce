"""JSON Lines inputs (``.jsonl``, ``.ndjson``, and ``-`` for stdin): one article per line.

Field names come from ``config.ingest.jsonl``. A broken line (bad JSON, not an object, no
text, a field of the wrong type, nesting deeper than ``ingest.max_nesting``, a number past
Python's integer-digit limit, a lone surrogate in a field that is read) is rejected with its
line number and every other line is still read.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from newsloom.ingest.base import Reader, make_document
from newsloom.ingest.safe import first_surrogate, json_depth_over
from newsloom.ingest.text import decode_bytes, too_little_text
from newsloom.models import Document, Reject, SourceFormat

_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_DATETIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d")


def has_tags(text: str) -> bool:
    """Text with at least one HTML tag in it."""
    return _TAG.search(text) is not None


def looks_like_html(text: str) -> bool:
    """Text that starts with a tag and has markup in it (an HTML body stored as a string)."""
    return text.lstrip().startswith("<") and len(_TAG.findall(text[:5000])) >= 2


def iso_date(value: str | float | None) -> str | None:
    """A publication date as ISO 8601, or None: never the value as given (the export contract).

    Accepts ISO dates and datetimes, RFC 2822 (e-mail and RSS) dates, a few common numeric
    layouts, Unix timestamps (numbers), day-month-year numbers when the order is certain (a part
    over 12, or day and month equal), and written dates in any language dateparser knows
    ("1 settembre 2007", "18 Maret 2024"). An ambiguous "03-02-2009", a relative phrase ("last
    Tuesday") or anything else unreadable gives None: abstain rather than guess.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            return datetime.fromtimestamp(value, tz=UTC).isoformat()
        except (OverflowError, OSError, ValueError):
            return None
    text = value.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text).isoformat()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text).isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    for fmt in _DATETIME_FORMATS:
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        return parsed.date().isoformat() if "%H" not in fmt else parsed.isoformat()
    return _numeric_dmy(text) if _DMY.fullmatch(text) else _written_date(text)


_DMY = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")


def _numeric_dmy(text: str) -> str | None:
    """``dd-mm-yyyy`` or ``mm-dd-yyyy``: a date only when the order cannot be wrong."""
    a, b, year = (int(x) for x in _DMY.fullmatch(text).groups())
    if a > 12 >= b or a == b:
        day, month = a, b
    elif b > 12 >= a:
        day, month = b, a
    else:
        return None  # 03-02-2009: 3 February or 2 March
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _written_date(text: str) -> str | None:
    """A complete written date (day, month and year) in any language dateparser reads; not a
    relative phrase ("last Tuesday", "2 hours ago"), which has no anchor here."""
    if len(text) > 64 or not re.search(r"\d{4}", text):
        return None
    import dateparser

    parsed = dateparser.parse(text, settings={"STRICT_PARSING": True, "RETURN_AS_TIMEZONE_AWARE": False,
                                              "PREFER_DAY_OF_MONTH": "first"})
    return parsed.date().isoformat() if parsed else None


class JsonlReader(Reader):
    """One JSON object a line, with the article text and optional metadata."""

    name = "jsonl"
    suffixes = (".jsonl", ".ndjson")

    def read(self, source: str, data: bytes) -> Iterator[Document | Reject]:
        if not data.strip():
            yield Reject(source=source, reason="empty file")
            return
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        found = False
        for number, raw_line in enumerate(data.split(b"\n"), start=1):
            if not raw_line.strip():
                continue
            found = True
            try:
                line = raw_line.decode("utf-8")
            except UnicodeDecodeError as exc:
                # files appended to by several tools mix encodings line by line: a line wholly in
                # a legacy encoding (Windows-1252, ...) is decoded as such, a damaged one is not
                decoded = decode_bytes(raw_line)
                if decoded.text is None:
                    yield Reject(source=source, line=number,
                                 reason=f"line is not valid UTF-8 (byte {exc.start}): {decoded.error}")
                    continue
                line = decoded.text
            try:
                yield self._record(source, number, line)
            except Exception as exc:  # noqa: BLE001 - one line's failure must not hide the lines after it
                yield Reject(source=source, reason=f"line failed: {type(exc).__name__}: {exc}", line=number)
        if not found:
            yield Reject(source=source, reason="empty file")

    def _record(self, source: str, number: int, line: str) -> Document | Reject:
        def reject(reason: str) -> Reject:
            return Reject(source=source, reason=reason, line=number)

        depth = self.config.ingest.max_nesting
        nested = f"JSON nested deeper than {depth} levels (ingest.max_nesting)"
        if json_depth_over(line, depth):
            return reject(nested)
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            return reject(f"bad JSON: {exc.msg} at column {exc.colno}")
        except RecursionError:  # nesting the cheap check could not see (it is approximate on broken JSON)
            return reject(nested)
        except ValueError as exc:  # an integer longer than sys.get_int_max_str_digits()
            if "digits" not in str(exc):
                raise
            return reject(f"bad JSON: a number with more than {sys.get_int_max_str_digits()} digits")
        if not isinstance(obj, dict):
            return reject(f"line is not a JSON object (got {type(obj).__name__})")
        names = self.config.ingest.jsonl
        text = obj.get(names.text)
        if text is None:
            return reject(f"missing {names.text!r} field")
        if not isinstance(text, str):
            return reject(f"field {names.text!r} must be a string, got {type(text).__name__}")
        if not text.strip():
            return reject(f"empty {names.text!r} field")
        fields: dict[str, str | None] = {}
        for key in ("title", "url", "lang", "publisher"):
            name = getattr(names, key)
            value: Any = obj.get(name)
            if value is not None and not isinstance(value, str):
                return reject(f"field {name!r} must be a string, got {type(value).__name__}")
            fields[key] = value.strip() or None if isinstance(value, str) else None
        raw_date = obj.get(names.date)
        if raw_date is not None and (
            isinstance(raw_date, bool) or not isinstance(raw_date, str | int | float)
        ):
            return reject(
                f"field {names.date!r} must be a string or a timestamp, got {type(raw_date).__name__}"
            )
        date_text = raw_date if isinstance(raw_date, str) else None
        for key, value in (("text", text), ("date", date_text), *fields.items()):
            at = first_surrogate(value) if value else None
            if at is not None:
                return reject(
                    f"field {getattr(names, key)!r} has a lone surrogate "
                    f"(\\u{ord(value[at]):04x} at character {at}), which is not valid Unicode"
                )
        fmt: SourceFormat = "html" if looks_like_html(text) else "text"
        if fmt == "text":
            short = too_little_text(text, self.config.ingest.min_text_chars)
            if short:
                return reject(short)
        return make_document(
            source=f"{source}:{number}",
            raw=text,
            format=fmt,
            title=fields["title"],
            url=fields["url"],
            published=iso_date(raw_date),
            lang_hint=fields["lang"],
            publisher=fields["publisher"],
        )
