"""Check an OC4IDS package with the standard's own validator (libcoveoc4ids), against an offline schema copy.

libcoveoc4ids fetches the schema and codelists over HTTP, from the standard's web site unless told
otherwise; keyproj's machines reach no web site. So the schema folder (../shared/oc4ids-0.9.5/ in
the tests) is served for the run by a small HTTP server on 127.0.0.1, on a free port, in a thread
that is shut down afterwards. libcoveoc4ids is a development dependency (pyproject's dev extra):
it is imported only when a check runs, and a missing one is said in a sentence.
"""

from __future__ import annotations

import functools
import http.server
import os
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

SCHEMA_VERSION = "0.9.5"


class ValidatorMissing(RuntimeError):
    """libcoveoc4ids is not installed (it comes with the development dependencies)."""


@dataclass
class Report:
    """What the validator found: the three that must be empty for a valid package, and the rest as a report."""

    validation_errors: list[Any] = field(default_factory=list)
    additional_closed_codelist_values: dict[str, Any] = field(default_factory=dict)
    conformance_errors: list[dict[str, Any]] = field(default_factory=list)
    additional_checks: list[dict[str, Any]] = field(default_factory=list)
    additional_open_codelist_values: dict[str, Any] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        """No schema error, no value outside a closed codelist, no malformed project id."""
        return not (self.validation_errors or self.additional_closed_codelist_values or self.conformance_errors)

    def summary(self) -> dict[str, Any]:
        """Counts of each result, and the additional checks and open codelist values in short (for a note)."""
        return {
            "validation_errors": len(self.validation_errors),
            "additional_closed_codelist_values": {
                path: sorted(entry.get("values", [])) for path, entry in self.additional_closed_codelist_values.items()
            },
            "conformance_errors": {item["check_id"]: _count(item) for item in self.conformance_errors},
            "additional_checks": {item["check_id"]: _count(item) for item in self.additional_checks},
            "additional_open_codelist_values": {
                path: sorted(entry.get("values", [])) for path, entry in self.additional_open_codelist_values.items()
            },
        }


def _count(item: dict[str, Any]) -> int:
    return len(item.get("paths") or item.get("path_values") or []) or 1


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """No line per request on stderr."""


@contextmanager
def serve(folder: Path | str) -> Iterator[str]:
    """Serve a folder on 127.0.0.1 (a free port) for the block's duration; yields its base address."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="oc4ids-schema", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def schema_dir() -> Path:
    """Where the offline copy of the OC4IDS 0.9.5 schema is: KEYPROJ_OC4IDS_SCHEMA_DIR, or ../shared/oc4ids-0.9.5
    beside the checkout (where the project's machines keep it)."""
    given = os.environ.get("KEYPROJ_OC4IDS_SCHEMA_DIR", "").strip()
    return Path(given) if given else Path(settings.BASE_DIR).parent / "shared" / "oc4ids-0.9.5"


def validate_package(package: dict[str, Any], schema_dir: Path | str) -> Report:
    """Run libcoveoc4ids over a package, with the schema and codelists of `schema_dir` (an OC4IDS 0.9.5 copy)."""
    try:
        from libcoveoc4ids.api import oc4ids_json_output
        from libcoveoc4ids.config import LibCoveOC4IDSConfig
    except ImportError as exc:
        raise ValidatorMissing("检查OC4IDS数据需要libcoveoc4ids（开发依赖，pip install -e '.[dev]' 安装）") from exc
    folder = Path(schema_dir)
    if not (folder / "project-schema.json").is_file():
        raise FileNotFoundError(
            f"no OC4IDS schema at {folder}: keep the 0.9.5 copy at ../shared/oc4ids-0.9.5 beside the checkout "
            "or name its folder in KEYPROJ_OC4IDS_SCHEMA_DIR"
        )
    with serve(folder) as base, tempfile.TemporaryDirectory(prefix="oc4ids-") as output:
        config = LibCoveOC4IDSConfig(
            {
                "schema_host": base,
                "schema_version_choices": {SCHEMA_VERSION: (SCHEMA_VERSION, base)},
                "schema_codelists": {"0.9": base + "codelists/"},
            }
        )
        result = oc4ids_json_output(output, json_data=package, lib_cove_oc4ids_config=config)
    return Report(
        validation_errors=list(result.get("validation_errors") or []),
        additional_closed_codelist_values=dict(result.get("additional_closed_codelist_values") or {}),
        conformance_errors=list(result.get("conformance_checks") or []),
        additional_checks=list(result.get("additional_checks") or []),
        additional_open_codelist_values=dict(result.get("additional_open_codelist_values") or {}),
    )
