"""/api/docs/ documents the API from the application's own files; the schema says money is in 万元."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from keyproj.core.openapi import money_units

DOCS = "/api/docs/"
ADDRESS = re.compile(r'\b(?:src|href|data-schema-url)="([^"]*)"')


@pytest.fixture
def schema(client, db) -> dict:
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def _property(schema: dict, component: str, name: str) -> dict:
    return schema["components"]["schemas"][component]["properties"][name]


def test_the_api_documentation_opens_without_signing_in(client, db):
    response = client.get(DOCS)

    assert response.status_code == 200
    html = response.content.decode()
    assert "API 文档" in html
    assert 'id="swagger-ui"' in html
    assert "/api/schema/?format=json" in html


def test_the_api_documentation_refers_only_to_the_applications_own_files(client, db):
    html = client.get(DOCS).content.decode()

    addresses = ADDRESS.findall(html)
    assert any(a.endswith("vendor/swagger-ui/swagger-ui-bundle.js") for a in addresses)
    assert any(a.endswith("vendor/swagger-ui/swagger-ui.css") for a in addresses)
    # Every address is a path on this site: nothing from another host, not even protocol-relative.
    assert [a for a in addresses if not a.startswith("/") or a.startswith("//")] == []


def test_the_swagger_ui_files_are_installed_and_never_ask_another_site(client, db):
    assert finders.find("vendor/swagger-ui/swagger-ui-bundle.js"), "make install copies Swagger UI from node_modules"
    assert finders.find("vendor/swagger-ui/swagger-ui.css")
    with open(finders.find("keyproj/api-docs.js"), encoding="utf-8") as file:
        script = file.read()
    # Swagger UI's default validator badge is an image from another site.
    assert "validatorUrl: null" in script


def test_every_page_links_to_the_api_documentation_in_its_footer(client, admin_user):
    client.force_login(admin_user)

    html = client.get(reverse("home")).content.decode()

    footer = html[html.index('<footer class="site-footer">') :]
    assert f'href="{DOCS}"' in footer


def test_money_fields_in_the_schema_say_their_unit(schema):
    for component, name in [
        ("Project", "total_investment"),
        ("Return", "investment"),
        ("ReturnCreate", "investment"),
        ("Plan", "investment"),
        ("Summary", "annual_plan"),
        ("Summary", "actual_to_date"),
        ("Card", "path_to_green"),
    ]:
        prop = _property(schema, component, name)
        assert prop.get("x-unit") == "万元", (component, name)
        assert "万元" in prop.get("description", ""), (component, name)


def test_every_field_labelled_in_wan_yuan_carries_the_unit(schema):
    unmarked = [
        (component, name)
        for component, body in schema["components"]["schemas"].items()
        for name, prop in (body.get("properties") or {}).items()
        if "万元" in str(prop.get("title", "")) and prop.get("x-unit") != "万元"
    ]
    assert unmarked == []


def test_land_rates_and_scores_are_not_called_money(schema):
    assert "x-unit" not in _property(schema, "Plan", "land_acquisition")  # 亩
    assert "x-unit" not in _property(schema, "Summary", "schedule_rate")  # %
    assert "x-unit" not in _property(schema, "CreditScore", "total")  # points


def test_the_hook_keeps_a_description_and_adds_the_unit_once():
    document = {
        "components": {
            "schemas": {
                "Thing": {
                    "properties": {
                        "over": {"type": "string", "description": "超（正）或差（负）"},
                        "actual_to_date": {"type": "string", "description": "1-N月实际完成投资（万元）"},
                        "budget": {"type": "string", "format": "decimal", "title": "概算(万元)"},
                        "monthly": {"type": "array", "items": {"type": "string", "format": "decimal"}},
                        "area": {"type": "string", "format": "decimal", "title": "面积(亩)"},
                    }
                }
            }
        }
    }

    props = money_units(document, None, None, True)["components"]["schemas"]["Thing"]["properties"]

    assert props["over"]["description"] == "超（正）或差（负）（万元）"
    assert props["actual_to_date"]["description"] == "1-N月实际完成投资（万元）"
    assert props["budget"]["description"] == "概算（万元）"
    assert props["monthly"]["items"]["x-unit"] == "万元"
    assert "x-unit" not in props["area"] and "description" not in props["area"]
