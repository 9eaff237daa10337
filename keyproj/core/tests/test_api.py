from __future__ import annotations

import json

from drf_spectacular.validation import validate_schema


def test_the_schema_is_a_valid_openapi_3_document_with_the_api(client, db):
    response = client.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    schema = json.loads(response.content)
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/projects/", "/api/v1/projects/{id}/", "/api/v1/summary/"} <= schema["paths"].keys()


def test_the_schema_documents_the_summary_parameters(client, db):
    schema = json.loads(client.get("/api/schema/", {"format": "json"}).content)

    summary = schema["paths"]["/api/v1/summary/"]["get"]
    parameters = {p["name"]: p for p in summary["parameters"]}
    assert parameters["period"]["required"] is True
    assert set(parameters["breakdown"]["schema"]["enum"]) == {"district", "category", "responsible_unit"}
    assert {"200", "400"} <= summary["responses"].keys()


def test_the_schema_documents_the_project_filters(client, db):
    schema = json.loads(client.get("/api/schema/", {"format": "json"}).content)

    names = {p["name"] for p in schema["paths"]["/api/v1/projects/"]["get"]["parameters"]}
    assert {
        "district",
        "category",
        "level",
        "stage",
        "responsible_unit",
        "owner",
        "agent_builder",
        "q",
    } <= names
