"""The server error page: the site's own, in the user's language, with the request's id to quote.

Django's default handler renders 500.html with an empty context. This one adds only the
request id, which the page offers the user to quote to the office; it renders without the
request, so nothing on the page reaches the database, which may be what failed.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader


def server_error(request: HttpRequest) -> HttpResponse:
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"request_id": getattr(request, "request_id", "")}))
