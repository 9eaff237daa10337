"""The OC4IDS project package as a workbook, laid out as flatten-tool's "flatten" lays it out.

People who publish or read OC4IDS in Excel use the layout of flatten-tool (the converter behind
the standard's Data Review Tool), so the workbook follows it and flatten-tool's `unflatten`
(root list path `projects`, id `id`) turns it back into the package's projects:

* sheet `projects`: one row per project; a column per JSON path below the project
  (`budget/amount/amount`, `publicAuthority/name`); a list of strings or numbers (`sector`)
  in one cell joined with `;`;
* one sheet per array of objects, named as flatten-tool names them: the array's name for an
  array on the project (`parties`, `forecasts`), and for a nested array the parent path's
  parts cut to three characters, joined by `_`, before the array's name (`forecasts` →
  `observations` is `for_observations`). Columns are the full paths with `0` for the array
  position (`parties/0/name`); each row starts with the ids of its parents: `id` (the
  project's) and, in a nested array, the parent object's id (`forecasts/0/id`). (flatten-tool
  0.28's own flatten, with root id `id`, puts the parent object's id in `id` below a nested
  array, so that its unflatten makes a project called `investment` of a forecast's
  observations; the project's id there is what unflatten needs to put them back.);
* sheet `Meta`, the package's own fields (`uri`, `publisher/name`, `publishedDate`,
  `version`) as the path/value pairs of a vertical sheet, the form flatten-tool's `unflatten`
  reads with `metatab_name="Meta"` and `metatab_vertical_orientation=True`.

Columns come in the order of the OC4IDS 0.9.5 project schema (the parents' ids first), only
those that hold a value somewhere. Every cell goes through keyproj.core.xlsx: text is cleaned of
what XML cannot hold and a text beginning with `=`, `+`, `-`, `@`, a tab or a CR stays text;
numbers stay numbers.

The workbook is written in one walk over the package, which gathers each sheet's columns and
puts each row aside in its sheet's temporary file; keyproj.core.xlsx.stream_workbook then
writes the sheets one after the other from those files, so memory stays bounded by a batch of
rows per sheet, not by the package.
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from keyproj.core import xlsx

MAIN_SHEET = "projects"
META_SHEET = "Meta"
ROOT_ID = "id"
# flatten-tool's default: each part of a nested array's parent path cut to three characters.
TRUNCATION_LENGTH = 3
# Excel's limit on a sheet's name (flatten-tool cuts its names there too).
SHEET_NAME_LIMIT = 31

# Property names in the order the OC4IDS 0.9.5 project schema first declares them (a walk of
# project-schema.json, properties before their definitions). A column's place is its path's
# names ranked by this list; a name the schema does not know comes after, alphabetically.
_SCHEMA_NAMES = """
id updated language identifiers publicAuthority title description budget period locations
status type sector purpose additionalClassifications parties assetLifetime identificationPeriod
preparationPeriod implementationPeriod completionPeriod maintenancePeriod decommissioningPeriod
forecasts metrics milestones completion costMeasurements transactions documents
contractingProcesses relatedProjects policyAlignment benefits social environment
lobbyingMeetings scheme name amount requestDate approvalDate budgetBreakdowns finance currency
budgetBreakdown uri sourceParty startDate endDate maxExtentDate durationInDays value
financingParty financingPartyType source assetClass repaymentPriority concessional resultsBased
paymentPeriod paymentFrequency interestRate exchangeRateGuarantee stepInRights relatedLots base
margin fixed notes geometry gazetteer address coordinates streetAddress locality region
postalCode countryName identifier additionalIdentifiers contactPoint roles beneficialOwners
classifications people legalName email telephone faxNumber url nationalities jobTitle
observations measure unit dimensions code dueDate dateMet dateModified endDateDetails finalValue
finalValueDetails finalScope finalScopeDetails date lifeCycleCosting costGroups category costs
classification payer payee relatedImplementationMilestone documentType datePublished format
pageStart pageEnd accessDetails author summary releases ocid externalReference nature tender
suppliers contractValue contractPeriod modifications procurementMethod procurementMethodDetails
costEstimate numberOfTenderers tenderers procuringEntity administrativeEntity sustainability
strategies rationale releaseID oldContractValue newContractValue oldContractPeriod
newContractPeriod laborBudget laborObligations obligations tag relationship policies
beneficiaries location numberOfPeople consultationMeetings landCompensationBudget
inIndigenousLand healthAndSafety numberOfParticipants publicOffice person organization
materialTests tests goals climateOversightTypes hasImpactAssessment impactCategories
climateMeasures conservationMeasures environmentalMeasures abatementCost inProtectedArea
"""
SCHEMA_ORDER = tuple(_SCHEMA_NAMES.split())
_RANK = {name: index for index, name in enumerate(SCHEMA_ORDER)}
# The package's own fields, in the package schema's order, for the Meta sheet.
_META_NAMES = "uri publishedDate version publisher license publicationPolicy"
META_ORDER = tuple(_META_NAMES.split())
_META_RANK = {name: index for index, name in enumerate(META_ORDER)}

# What a cell holds as it is (flatten-tool's "basic types", and float, which JSON loaded
# without Decimal gives for a number with a fraction).
BASIC = (str, bool, int, float, Decimal)

Row = dict[str, Any]


def sheet_name(parent_path: str, key: str) -> str:
    """flatten-tool's name for the sheet of the array `key` below `parent_path` ("forecasts/0/")."""
    parts = [part[:TRUNCATION_LENGTH] for part in parent_path.split("/") if part != "0"]
    return ("_".join(parts) + key).replace(":", "-")[:SHEET_NAME_LIMIT]


def _joined(values: list[Any]) -> str | None:
    """A list of basic values (or of lists of them, as coordinates) as flatten-tool puts it in one cell."""
    if all(isinstance(v, BASIC) for v in values):
        return ";".join(map(_text, values))
    if all(isinstance(v, list) and all(isinstance(x, BASIC) for x in v) for v in values):
        return ";".join(",".join(map(_text, v)) for v in values)
    return None


def _text(value: Any) -> str:
    """A value inside a joined cell, spelled as JSON spells it (true, not True)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class _Sheet:
    """What the first pass learns of a sheet: its array's path, its parents' id columns, its columns."""

    __slots__ = ("columns", "parents", "path")

    def __init__(self, path: str, parents: list[str]) -> None:
        self.path = path
        self.parents = parents
        self.columns: set[str] = set()

    def headers(self) -> list[str]:
        """Row 1: the parents' ids (outermost first), then the sheet's own columns in schema order."""
        return self.parents + sorted(self.columns.difference(self.parents), key=_column_key)


def _walk(
    obj: dict[str, Any],
    parent: str,
    row: Row,
    parent_ids: Row,
    out: list[tuple[str, Row]],
    sheets: dict[str, _Sheet] | None,
) -> None:
    """Put `obj`'s fields into `row` (its sheet's row) and its arrays of objects into `out`.

    Mirrors flatten-tool's JSONParser.parse_json_dict: an object's fields continue its parent's
    row; an array of objects opens a row per item on its own sheet, which starts with the
    ids of the item's parents (the project's `id`, then every enclosing object's `…/0/id`).
    `sheets`, on the first pass, gathers each sheet's array path and parent id columns.
    """
    if ROOT_ID in obj:
        parent_ids = {**parent_ids, parent + ROOT_ID: obj[ROOT_ID]}
    for key, value in obj.items():
        if value is None:
            continue
        path = parent + key
        if isinstance(value, BASIC):
            row[path] = value
        elif isinstance(value, dict):
            _walk(value, path + "/", row, parent_ids, out, sheets)
        elif isinstance(value, list):
            joined = _joined(value)
            if joined is not None:
                if value:
                    row[path] = joined
                continue
            child = sheet_name(parent, key)
            if sheets is not None and child not in sheets:
                sheets[child] = _Sheet(path, list(parent_ids))
            for item in value:
                if not isinstance(item, dict):
                    continue
                item_row: Row = dict(parent_ids)
                _walk(item, path + "/0/", item_row, parent_ids, out, sheets)
                out.append((child, item_row))
        else:
            raise TypeError(f"{path}: a {type(value).__name__} has no place in a workbook")


def project_rows(project: dict[str, Any], sheets: dict[str, _Sheet] | None = None) -> list[tuple[str, Row]]:
    """One project's rows: (sheet name, {column: value}), its main row first."""
    row: Row = {}
    rows: list[tuple[str, Row]] = [(MAIN_SHEET, row)]
    _walk(project, "", row, {}, rows, sheets)
    return rows


def _column_key(column: str) -> tuple[tuple[int, str], ...]:
    """Where a column goes: its path's names ranked by the schema (array positions skipped)."""
    return tuple((_RANK.get(name, len(_RANK)), name) for name in column.split("/") if name != "0")


def _meta_rows(package: dict[str, Any]) -> list[tuple[str, Any]]:
    """The package's own fields (everything but `projects`) as (path, value) pairs."""
    row: Row = {}
    _walk({k: v for k, v in package.items() if k != "projects"}, "", row, {}, [], None)
    # The top-level fields in the package schema's order; below them (publisher's) as written.
    return sorted(row.items(), key=lambda item: _META_RANK.get(item[0].split("/")[0], len(_META_RANK)))


def package_workbook(package: dict[str, Any]) -> bytes:
    """The package as the bytes of an .xlsx file in flatten-tool's layout (see the module's docstring)."""
    projects = package.get("projects") or []
    sheets: dict[str, _Sheet] = {MAIN_SHEET: _Sheet("", [])}
    spools: dict[str, _Spool] = {}
    try:
        # One walk over the package: it tells which sheets and which columns each needs, and each
        # row is put aside on its sheet's spool until the columns are known.
        for project in projects:
            for sheet, row in project_rows(project, sheets):
                sheets[sheet].columns.update(row)
                if sheet not in spools:
                    spools[sheet] = _Spool()
                spools[sheet].add(row)
        order = sorted(sheets, key=lambda name: (name != MAIN_SHEET, _column_key(sheets[name].path), name))
        tables: list[tuple[str, list[str], Iterable[Sequence[Any]]]] = []
        for sheet in order:
            header = sheets[sheet].headers()
            tables.append((sheet, header, _Spool.cells(spools.get(sheet), header)))
        meta = _meta_rows(package)
        if meta:  # a vertical sheet: no header row
            tables.append((META_SHEET, [], meta))
        return xlsx.stream_workbook(tables)
    finally:
        for spool in spools.values():
            spool.close()


class _Spool:
    """One sheet's rows, put aside in a temporary file in batches until the sheet is written.

    The workbook's sheets are written one after the other, but a project's walk gives rows for
    every sheet at once; keeping them on disk keeps memory bounded by a batch, not the package.
    """

    BATCH = 1000

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close(), after the sheet is written
        self.batch: list[Row] = []

    @staticmethod
    def cells(spool: _Spool | None, header: list[str]) -> Iterator[list[Any]]:
        """A spool's rows as the cells under `header` (no rows for no spool)."""
        if spool is not None:
            for row in spool.rows():
                yield [row.get(column) for column in header]

    def add(self, row: Row) -> None:
        """Put a row aside (a full batch goes to the file)."""
        self.batch.append(row)
        if len(self.batch) >= self.BATCH:
            pickle.dump(self.batch, self.file, pickle.HIGHEST_PROTOCOL)
            self.batch = []

    def rows(self) -> Iterator[Row]:
        """The rows in the order they were put aside, read back batch by batch."""
        if self.batch:
            pickle.dump(self.batch, self.file, pickle.HIGHEST_PROTOCOL)
            self.batch = []
        self.file.seek(0)
        while True:
            try:
                batch = pickle.load(self.file)  # our own temporary file, written above
            except EOFError:
                return
            yield from batch

    def close(self) -> None:
        """Remove the temporary file."""
        self.file.close()
