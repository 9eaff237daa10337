"""Every request runs under an id that its audit entries carry."""


def test_each_response_carries_a_fresh_request_id(client, db):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert first.startswith("req-") and second.startswith("req-") and first != second


def test_a_clients_request_id_is_ignored_unless_a_proxy_is_trusted(client, db, settings):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="forged-1")["X-Request-ID"] != "forged-1"

    settings.KEYPROJ_TRUST_REQUEST_ID = True
    assert client.get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a")["X-Request-ID"] == "lb-7f3a"
    assert client.get("/healthz", HTTP_X_REQUEST_ID="bad id; drop")["X-Request-ID"] != "bad id; drop"
