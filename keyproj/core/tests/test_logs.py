from __future__ import annotations

import json
import logging
import sys

from django.conf import settings

from keyproj.core.context import request_id
from keyproj.core.logs import JsonFormatter


def line(logger_name="keyproj.test", level=logging.WARNING, message="%s 已退回", args=("月报",), **kwargs):
    logger = logging.getLogger(logger_name)
    record = logger.makeRecord(logger_name, level, "x.py", 1, message, args, None, **kwargs)
    return json.loads(JsonFormatter().format(record))


def test_a_line_is_one_json_object_with_time_level_logger_and_message():
    entry = line()

    assert entry["level"] == "WARNING"
    assert entry["logger"] == "keyproj.test"
    assert entry["message"] == "月报 已退回"
    assert entry["time"].endswith("+00:00") and "T" in entry["time"]


def test_a_line_carries_the_id_of_the_request_it_was_written_under():
    with request_id("req-abc123"):
        assert line()["request_id"] == "req-abc123"
    assert line()["request_id"] == ""


def test_a_job_line_carries_the_jobs_id():
    with request_id(prefix="job") as rid:
        entry = line()
    assert entry["request_id"] == rid and rid.startswith("job-")


def test_an_exception_is_written_with_its_traceback_inside_the_one_line():
    try:
        raise ValueError("坏的输入")
    except ValueError:
        logger = logging.getLogger("keyproj.test")
        record = logger.makeRecord("keyproj.test", logging.ERROR, "x.py", 1, "failed", (), sys.exc_info())
    text = JsonFormatter().format(record)

    assert "\n" not in text
    entry = json.loads(text)
    assert "Traceback" in entry["exception"] and "ValueError: 坏的输入" in entry["exception"]


def test_extra_fields_are_written_and_what_json_cannot_hold_becomes_text():
    entry = line(extra={"status_code": 503, "request": object()})

    assert entry["status_code"] == 503
    assert entry["request"].startswith("<object object")


def test_the_console_writes_json_unless_asked_for_text():
    # The tests run as production does (debug off, no KEYPROJ_LOG_FORMAT).
    assert settings.LOGGING["handlers"]["console"]["formatter"] == "json"
    assert settings.LOGGING["formatters"]["json"]["()"] == "keyproj.core.logs.JsonFormatter"


def test_a_failed_requests_line_names_the_request_django_passes_along():
    # Django logs "Not Found" after the middleware has returned, outside the request's context.
    class Request:
        request_id = "req-0f0f0f0f"

    assert line(extra={"request": Request()})["request_id"] == "req-0f0f0f0f"
    with request_id("req-outer"):
        assert line(extra={"request": Request()})["request_id"] == "req-outer"
