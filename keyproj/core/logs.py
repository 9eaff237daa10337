"""Log lines as one JSON object each, so that journald, a log shipper or `jq` can read them.

Every line names the request or job it was written under (`keyproj.core.context`): a request's id
is the one its response returns in X-Request-ID and its audit entries carry, a job's starts with
"job", so a failure in the log leads to the request, the audit entries and the proxy's log line.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

from keyproj.core.context import current_request_id

# What every LogRecord has; anything else on a record was passed as `extra=` and is written too.
_RECORD_FIELDS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One line of JSON a record: time, level, logger, message, request_id, and the exception's text."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            # UTC with milliseconds: lines from several machines sort together.
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            # Django logs a failed request's status after the middleware has left the request's
            # context, so the request it passes along names the id then.
            "request_id": current_request_id() or getattr(getattr(record, "request", None), "request_id", ""),
        }
        for key, value in vars(record).items():
            if key not in _RECORD_FIELDS and not key.startswith("_") and key not in entry:
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        # default=str: an `extra` value that JSON cannot hold (a date, a model) is written as text
        # rather than losing the line; ensure_ascii=False keeps Chinese messages readable.
        return json.dumps(entry, ensure_ascii=False, default=str)
