from __future__ import annotations

from keyproj.core.scoping import PROJECT_ORG_FIELDS
from keyproj.orgs.querysets import PROJECT_RELATIONS
from keyproj.projects.models import Project


def test_visible_to_walks_every_organisation_column_of_a_project_by_its_related_name():
    assert set(PROJECT_RELATIONS) == set(PROJECT_ORG_FIELDS)
    for field, relation in PROJECT_RELATIONS.items():
        assert Project._meta.get_field(field).remote_field.related_name == relation
