"""The register's pages: the register and its export (register), a project's page (detail), its point (location)."""

from keyproj.projects.views.detail import project_detail
from keyproj.projects.views.location import project_location
from keyproj.projects.views.register import project_export, project_list

__all__ = ["project_detail", "project_export", "project_list", "project_location"]
