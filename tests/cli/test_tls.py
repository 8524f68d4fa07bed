"""--cacert and --insecure against an API behind TLS.  l2gwd itself is
not involved: a small HTTPS server (Python's ssl, with a certificate
made by the openssl tool) answers the list request, so what is tested is
the client's certificate verification."""

import http.server
import json
import shutil
import ssl
import subprocess
import threading

import pytest

from clitest import fails, ok, run


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps({"l2_gateways": [], "token": self.headers.get("X-Auth-Token")}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def https(tmp_path_factory):
    if not shutil.which("openssl"):
        pytest.fail("the openssl tool is needed to make a test certificate")
    d = tmp_path_factory.mktemp("tls")
    cert, key = str(d / "cert.pem"), str(d / "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                    "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    yield "https://127.0.0.1:%d" % server.server_address[1], cert
    server.shutdown()


def test_unknown_ca_is_refused(https):
    url, _ = https
    r = fails(run("gateway", "list", url=url), 1,
              "Unable to establish connection to %s/v2.0/l2-gateways" % url)
    assert "certificate" in r.err.lower(), r


def test_cacert_verifies(https):
    url, cert = https
    r = ok(run("gateway", "list", "--cacert", cert, url=url))
    assert r.out == "\n"  # an empty list, as cliff prints it
    ok(run("gateway", "list", "--os-cacert", cert, url=url))


def test_insecure_skips_verification(https):
    url, _ = https
    ok(run("gateway", "list", "--insecure", url=url))


def test_cacert_missing_file(https, tmp_path):
    url, _ = https
    fails(run("gateway", "list", "--cacert", str(tmp_path / "none.pem"), url=url), 1, url)
