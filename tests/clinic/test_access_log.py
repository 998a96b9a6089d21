"""No patient data in the logs: a search by name through the API and the admin, under gunicorn
as scripts/serve runs it, leaves the name in no log line (query strings and the Referer are
not logged)."""

import http.client
import re
import socket
import subprocess
import sys
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from tests.clinic_load import PASSWORD, prepare_clinic, serve_environment, sign_in
from tests.live import ROOT, ServeGunicorn, call

NAME = "Secretsonova"


class Browser:
    """Just enough of a browser for the admin: cookies, the CSRF token, a Referer."""

    def __init__(self, port: int):
        self.port = port
        self.cookies = SimpleCookie()

    def request(self, method: str, path: str, form: dict | None = None, referer: str = ""):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {
            "Host": "127.0.0.1",
            "Cookie": "; ".join(f"{k}={v.value}" for k, v in self.cookies.items()),
        }
        if referer:
            headers["Referer"] = f"http://127.0.0.1:{self.port}{referer}"
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        content = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            self.cookies.load(header)
        conn.close()
        return response.status, content


def test_searching_a_patient_by_name_leaves_the_name_in_no_log_line(tmp_path):
    env = serve_environment(f"sqlite:///{tmp_path / 'db.sqlite3'}", tmp_path)
    env["STATIC_ROOT"] = str(tmp_path / "static")
    [username] = prepare_clinic(env, therapists=1)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    log = tmp_path / "gunicorn.log"
    with ServeGunicorn(env, log) as server:
        token = sign_in(server.port, username)
        status, patient = call(
            server.port,
            "POST",
            "/api/v1/patients/",
            token,
            {
                "given_name": "Orla",
                "family_name": NAME,
                "date_of_birth": "1970-01-01",
                "identifier": "LOG-1",
            },
        )
        assert status == 201
        status, found = call(server.port, "GET", f"/api/v1/patients/?search={NAME}", token)
        assert (status, found["count"]) == (200, 1)

        browser = Browser(server.port)
        assert browser.request("GET", "/admin/login/")[0] == 200
        form = {
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": browser.cookies["csrftoken"].value,
        }
        assert browser.request("POST", "/admin/login/", form, referer="/admin/login/")[0] == 302
        status, page = browser.request(
            "GET",
            f"/admin/prescriptions/patient/?q={NAME}",
            referer="/admin/prescriptions/patient/",
        )
        assert status == 200 and NAME in page
        status, page = browser.request(
            "GET",
            f"/admin/prescriptions/patient/{patient['id']}/change/",
            referer=f"/admin/prescriptions/patient/?q={NAME}",
        )
        assert status == 200 and NAME in page

    lines = log.read_text().splitlines()
    assert [line for line in lines if NAME.lower() in line.lower()] == []
    access = [
        line for line in lines if re.match(r"GET /admin/prescriptions/patient/ 200 \d+ms \w+", line)
    ]
    assert len(access) == 1
    assert any(re.match(r"GET /api/v1/patients/ 200 \d+ms \w+", line) for line in lines)


MALFORMED_REQUESTS = [
    # A name with a space in the query string: the request line has four parts.
    f"GET /api/v1/patients/?search=Orla {NAME} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
    f"GET /api/v1/patients/?search={NAME} HTTP/{NAME}\r\nHost: 127.0.0.1\r\n\r\n",
    f"GET /api/v1/patients/?search={NAME} HTTP/1.1\r\nX-Note: {NAME}\x01\r\n\r\n",
]


def send_raw(port: int, request: str) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(request.encode("latin-1"))
        return connection.recv(65536)


def test_a_malformed_request_carrying_a_name_leaves_it_in_no_log_line(tmp_path):
    env = serve_environment(f"sqlite:///{tmp_path / 'db.sqlite3'}", tmp_path)
    log = tmp_path / "gunicorn.log"
    with ServeGunicorn(env, log) as server:
        for request in MALFORMED_REQUESTS:
            assert send_raw(server.port, request).startswith(b"HTTP/1.1 400")

    lines = log.read_text().splitlines()
    assert [line for line in lines if NAME.lower() in line.lower()] == []
    refused = [line for line in lines if "Invalid request from ip=127.0.0.1" in line]
    assert len(refused) == len(MALFORMED_REQUESTS)
