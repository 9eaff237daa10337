"""The load of `python -m bench stack`: signed-in office users reading the three busiest answers.

Each simulated user signs in once through the login form (as a browser does, with the CSRF
token), then asks, with no pause between requests, for the home page, the register's first
page or the city's figures from the API (for the last generated month), in equal shares. No
waiting keeps the server busy all the time: what is measured is how much it can answer, not
how a person clicks.
"""

from __future__ import annotations

import os
import re

from locust import HttpUser, task

_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class OfficeReader(HttpUser):
    # No wait_time: each user sends its next request as soon as the last one is answered.

    def on_start(self) -> None:
        page = self.client.get("/accounts/login/", name="login")
        token = _TOKEN.search(page.text)
        self.client.post(
            "/accounts/login/",
            data={
                "username": os.environ["BENCH_USERNAME"],
                "password": os.environ["BENCH_PASSWORD"],
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers={"Referer": self.host + "/accounts/login/"},
            name="login",
            allow_redirects=False,
        )

    @task
    def home(self) -> None:
        self.client.get("/", name="home /")

    @task
    def register(self) -> None:
        self.client.get("/projects/", name="register /projects/")

    @task
    def summary(self) -> None:
        self.client.get(f"/api/v1/summary/?period={os.environ['BENCH_PERIOD']}", name="API /api/v1/summary/")
