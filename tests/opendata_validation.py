"""Validate an OCDS release package offline, as issue 14 asks: every problem found, as sentences (none: valid).

1. libcoveocds over the core 1.1.5 schema from the zip in tests/data/ocds (nothing fetched): its schema errors, any
   value outside a closed codelist, and any field that is neither the schema's nor one of the two extensions' (it
   reports the last two apart from its errors, and its command line exits 0 on invalid data, so the result is read).
2. jsonschema Draft 4 over the core release schema merged with each extension's release-schema.json (a JSON merge
   patch), with date-time checking: this is what checks the extensions' own fields.
3. The contract checks: payments within the contract's value, each contract linked to exactly one award, and no
   payment dated before the contract's start.
"""

from __future__ import annotations

import copy
import json
import zipfile
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import json_merge_patch
from jsonschema import Draft4Validator
from libcoveocds.api import ocds_json_output
from libcoveocds.config import LibCoveOCDSConfig
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

DATA = Path(__file__).resolve().parent / "data" / "ocds"
STANDARD_ZIP = DATA / "ocds-standard-1__1__5.zip"
EXTENSIONS = ("budget_breakdown", "metrics")


@cache
def _extension_fields() -> frozenset[str]:
    """Every field path the two extensions add, as libcoveocds names an additional field ("/releases/a/b" + field)."""
    release = _core_release()
    merged = _merged_release()

    def paths(schema: dict[str, Any], root: dict[str, Any], prefix: str, seen: frozenset[str]) -> set[str]:
        found: set[str] = set()
        if "$ref" in schema:
            name = schema["$ref"].split("/")[-1]
            if name in seen:
                return found
            seen |= {name}
            schema = root["definitions"][name]
        for key in ("items",):
            if isinstance(schema.get(key), dict):
                found |= paths(schema[key], root, prefix, seen)
        for name, sub in (schema.get("properties") or {}).items():
            found.add(f"{prefix}/{name}")
            found |= paths(sub, root, f"{prefix}/{name}", seen)
        return found

    return frozenset(
        paths(merged, merged, "/releases", frozenset()) - paths(release, release, "/releases", frozenset())
    )


@cache
def _core_release() -> dict[str, Any]:
    with zipfile.ZipFile(STANDARD_ZIP) as z:
        return json.loads(z.read("standard-1__1__5/schema/release-schema.json"))


@cache
def _merged_release() -> dict[str, Any]:
    release = copy.deepcopy(_core_release())
    for extension in EXTENSIONS:
        patch = json.loads((DATA / "extensions" / extension / "release-schema.json").read_text())
        release = json_merge_patch.merge(release, patch)
    return release


@cache
def _validator() -> Draft4Validator:
    with zipfile.ZipFile(STANDARD_ZIP) as z:
        package = json.loads(z.read("standard-1__1__5/schema/release-package-schema.json"))
    release = _merged_release()
    registry: Registry = Registry().with_resource(
        release["id"], Resource.from_contents(release, default_specification=DRAFT4)
    )
    return Draft4Validator(package, registry=registry, format_checker=Draft4Validator.FORMAT_CHECKER)


def cove_problems(package: dict[str, Any]) -> list[str]:
    config = LibCoveOCDSConfig()
    config.config["standard_zip"] = STANDARD_ZIP.as_uri()
    config.config["context"] = "api"
    result = ocds_json_output(json_data=copy.deepcopy(package), lib_cove_ocds_config=config)
    problems = [f"libcoveocds: {error}" for error in result.get("validation_errors", [])]
    problems += [
        f"closed codelist: {path} has {info.get('values')}"
        for path, info in (result.get("additional_closed_codelist_values") or {}).items()
    ]
    known = _extension_fields()
    for extra in result.get("additional_fields") or []:
        path = f"{extra['path']}/{extra['field']}".replace("//", "/")
        if path not in known:
            problems.append(f"unknown field: {path}")
    return problems


def schema_problems(package: dict[str, Any]) -> list[str]:
    return [
        f"schema: {'/'.join(map(str, error.absolute_path))}: {error.message[:200]}"
        for error in sorted(_validator().iter_errors(package), key=lambda e: list(map(str, e.absolute_path)))
    ]


def _pence(value: dict[str, Any]) -> int:
    return int(Decimal(str(value["amount"])) * 100)


def contract_problems(package: dict[str, Any]) -> list[str]:
    problems = []
    for release in package.get("releases", []):
        award_ids = [award["id"] for award in release.get("awards", [])]
        for contract in release.get("contracts", []):
            name = f"{release['ocid']} contract {contract['id']}"
            transactions = (contract.get("implementation") or {}).get("transactions", [])
            if sum(_pence(t["value"]) for t in transactions) > _pence(contract["value"]):
                problems.append(f"{name}: payments exceed its value")
            if award_ids.count(contract.get("awardID")) != 1:
                problems.append(f"{name}: links to {award_ids.count(contract.get('awardID'))} awards, not one")
            start = contract.get("period", {}).get("startDate")
            if start is None:
                problems.append(f"{name}: no start")
                continue
            for transaction in transactions:
                if _moment(transaction["date"]) < _moment(start):
                    problems.append(f"{name}: payment {transaction['id']} is dated before the contract started")
    return problems


def _moment(text: str) -> Any:
    from datetime import datetime

    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def problems(package: dict[str, Any]) -> list[str]:
    """Every problem the three checks find; an empty list means the package is valid."""
    return cove_problems(package) + schema_problems(package) + contract_problems(package)
