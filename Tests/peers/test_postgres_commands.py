"""The commands on a PostgreSQL state, against a real cluster (scripts/test-postgres):
subscribers, tokens, bounces, a preview, a test send and a feed-source build as an operator
runs them, and two `herald serve` on one database behind one address, as a load balancer
spreads readers over them. The database is read with psql to check what each changed."""
import concurrent.futures
import http.client
import os
import pathlib
import re
import signal
import subprocess
import time
import urllib.parse

import pytest

import smtp_servers
from test_serve import Site, confirm_link, wait_for


def psql(url, password, sql):
    """Rows of `sql` on the database `url` names, as tab-separated lines."""
    rest = url.split("//", 1)[1]
    hostport, database = rest.split("/", 1)
    host, port = hostport.rsplit(":", 1)
    database = database.split("?", 1)[0]
    bindir = os.environ.get("HERALD_TEST_POSTGRES_BIN") or sorted(str(p) for p in pathlib.Path("/usr/lib/postgresql").glob("*/bin"))[-1]
    proc = subprocess.run([f"{bindir}/psql", "-h", host, "-p", port, "-U", "herald", "-d", database, "-AtF", "\t", "-c", sql],
                          capture_output=True, text=True, check=True, env=dict(os.environ, PGPASSWORD=password))
    return proc.stdout.splitlines()


def on_postgres(folder, url):
    config = folder / "herald.yml"
    config.write_text(config.read_text(encoding="utf-8") + f"state: {url}\n", encoding="utf-8")


def test_subscribers_and_tokens_on_postgresql(herald, example_copy, postgres_database, tmp_path):
    url, password = postgres_database
    on_postgres(example_copy, url)
    env = {"HERALD_STATE_PASSWORD": password, "HERALD_UNSUBSCRIBE_SECRET": "peer-test-secret-0123456789abcdef"}

    def run(*args, check=True):
        return herald(*args, check=check, env=env)

    # Reading an empty database finds nobody and creates nothing.
    assert run("subscribers", example_copy, "list").stdout.strip() == ""
    assert psql(url, password, "SELECT to_regclass('subscribers') IS NULL") == ["t"]
    assert run("subscribers", example_copy, "add", "Ana@Example.ORG", "--name", "Ana 李").stdout.strip() == "added Ana@example.org"
    assert "already subscribed" in run("subscribers", example_copy, "add", "ana@example.org").stdout
    listed = tmp_path / "list.csv"
    listed.write_text("address,name,status\nbo@example.org,\"Bo, Jr.\",active\nnot-an-address,x,active\n"
                      "cy@example.org,,unsubscribed\n", encoding="utf-8")
    imported = run("subscribers", example_copy, "import", listed)
    assert "imported 2, already present 0, bad rows 1" in imported.stdout + imported.stderr
    dry = run("subscribers", example_copy, "import", "--dry-run", listed)
    assert "would import 0, already present 2" in dry.stdout + dry.stderr
    run("subscribers", example_copy, "remove", "bo@example.org")
    assert run("subscribers", example_copy, "list", "--all").stdout.splitlines() == [
        "Ana@example.org\tAna 李\tactive", "bo@example.org\tBo, Jr.\tunsubscribed", "cy@example.org\t\tunsubscribed"]
    export = run("subscribers", example_copy, "export").stdout
    assert export.splitlines()[0].startswith("address,name,status,consent_at")
    assert export.count("\n") == 4
    # The token of a subscriber, checked and used from the command line.
    token = run("token", "make", example_copy, "ana@example.org").stdout.strip()
    assert run("token", "verify", example_copy, token).stdout.strip() == "Ana@example.org"
    run("unsubscribe", example_copy, token)
    assert psql(url, password, "SELECT status FROM subscribers WHERE address_key = 'ana@example.org'") == ["unsubscribed"]
    assert psql(url, password, "SELECT action, client FROM consents ORDER BY id")[-1] == "unsubscribed\tcli"
    # Nothing went to a SQLite file beside the database.
    assert not (tmp_path / "xdg-state" / "herald" / "example" / "state.sqlite").exists()
    assert password not in export


class Servers:
    """One publication on one PostgreSQL database, served by two `herald serve` processes."""

    def __init__(self, tmp_path, herald_bin, herald, url, password):
        self.a = Site(tmp_path, herald_bin, herald)
        on_postgres(self.a.pub, url)
        self.a.env["HERALD_STATE_PASSWORD"] = password
        self.url, self.password = url, password
        self.a.start()
        self.b_port = smtp_servers.free_port()
        self.b_log = open(tmp_path / "serve-b.log", "w")
        self.b = subprocess.Popen([herald_bin, "serve", self.a.pub, "--listen", f"127.0.0.1:{self.b_port}"], cwd=tmp_path,
                                  env=self.a.env, stdout=self.b_log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while self.request_b("GET", "/healthz")[0] != 200:
            assert self.b.poll() is None, (tmp_path / "serve-b.log").read_text()
            assert time.monotonic() < deadline, "the second herald serve did not answer /healthz within 30 s"
            time.sleep(0.1)

    def request_b(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.b_port, timeout=10)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        except OSError:
            return 0, {}, b""
        finally:
            conn.close()

    def status_of(self, address):
        rows = psql(self.url, self.password, f"SELECT status FROM subscribers WHERE address = '{address}'")
        return rows[0] if rows else None

    def stop(self):
        if self.b.poll() is None:
            self.b.send_signal(signal.SIGTERM)
            assert self.b.wait(timeout=10) == 0
        self.a.stop()


@pytest.fixture
def servers(tmp_path, herald_bin, herald, postgres_database):
    made = Servers(tmp_path, herald_bin, herald, *postgres_database)
    yield made
    made.stop()


def test_a_link_mailed_by_one_server_is_confirmed_on_the_other(servers):
    a = servers.a
    csrf, cookie = a.form()
    status, _, body = a.post_form("subscribe", {"csrf": csrf, "email": "reader@example.org", "name": "Rea"}, cookie)
    assert status == 200, body
    assert wait_for(lambda: a.mails_to("reader@example.org")), (a.tmp / "serve.log").read_text()
    query = urllib.parse.urlsplit(confirm_link(a.mails_to("reader@example.org")[0])).query
    assert servers.status_of("reader@example.org") is None
    # The confirmation page and its POST on B, which never saw the request.
    status, headers, page = servers.request_b("GET", a.path(f"confirm?{query}"))
    assert status == 200, page
    csrf = re.search(rb'name="csrf" value="([^"]+)"', page).group(1).decode()
    cookie = headers["set-cookie"].split(";")[0]
    form = urllib.parse.urlencode({"csrf": csrf, "token": query.split("=", 1)[1]}).encode()
    status, _, body = servers.request_b("POST", a.path(f"confirm?{query}"), form,
                                        {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    assert status == 200, body
    assert servers.status_of("reader@example.org") == "active"
    # A second request on B within the window mails nothing: the window is in the database.
    csrf, cookie = a.form()
    a.post_form("subscribe", {"csrf": csrf, "email": "other@example.org"}, cookie)
    assert wait_for(lambda: a.mails_to("other@example.org"))
    status, headers, page = servers.request_b("GET", a.path("subscribe"))
    csrf = re.search(rb'name="csrf" value="([^"]+)"', page).group(1).decode()
    form = urllib.parse.urlencode({"csrf": csrf, "email": "other@example.org"}).encode()
    status, _, _ = servers.request_b("POST", a.path("subscribe"), form, {
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": headers["set-cookie"].split(";")[0]})
    assert status == 200
    time.sleep(1)
    assert len(a.mails_to("other@example.org")) == 1
    requested = psql(servers.url, servers.password,
                     "SELECT count(*) FROM consents WHERE address_key = 'other@example.org' AND action = 'requested'")
    assert requested == ["1"]


def test_one_click_unsubscribes_spread_over_both_servers_are_all_kept(servers):
    a = servers.a
    addresses = [f"r{n}@example.org" for n in range(60)]
    listed = a.tmp / "readers.csv"
    listed.write_text("address\n" + "\n".join(addresses) + "\n", encoding="utf-8")
    a.run("subscribers", a.pub, "import", listed)
    tokens = dict(row.split("\t") for row in psql(servers.url, servers.password,
                                                   "SELECT address, unsubscribe_token FROM subscribers"))

    def leave(n):
        address = addresses[n]
        path = a.path(f"unsubscribe?token={tokens[address]}")
        request = a.request if n % 2 == 0 else servers.request_b
        status, _, _ = request("POST", path, b"List-Unsubscribe=One-Click",
                               {"Content-Type": "application/x-www-form-urlencoded"})
        # Acknowledged means in the database already, whichever server answered.
        return address, status, servers.status_of(address) if status == 200 else None

    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        results = list(pool.map(leave, range(len(addresses))))
    assert [status for _, status, _ in results] == [200] * len(addresses), results
    assert all(seen == "unsubscribed" for _, _, seen in results), results
    assert psql(servers.url, servers.password, "SELECT count(*) FROM subscribers WHERE status = 'unsubscribed'") == ["60"]
    assert psql(servers.url, servers.password, "SELECT count(*) FROM consents WHERE action = 'unsubscribed'") == ["60"]


def test_bounces_a_preview_and_a_test_send_on_postgresql(herald, tmp_path, postgres_database, smtp_server):
    """`herald bounces` applies reports to the database's subscribers once each; `herald
    digest` previews from it and `send --test` mails one address, neither writing a row."""
    from test_bounces import fixture, with_bounce_address
    from test_mail import SECRET, publication
    url, password = postgres_database
    recorder = smtp_servers.Recorder()
    pub = with_bounce_address(publication(tmp_path, smtp_server(recorder).port))
    on_postgres(pub, url)
    env = {"HERALD_STATE_PASSWORD": password}
    herald("subscribers", pub, "import", "-", input="gone@example.net\nreader@hotmail.example\n", env=env)
    tokens = {a: herald("token", "make", pub, a, env=env).stdout.strip() for a in ("gone@example.net", "reader@hotmail.example")}
    hard = herald("bounces", pub, "-", input=fixture("exim-hard.eml", tokens["gone@example.net"]).decode(), env=env)
    assert hard.stdout == "stdin: bounced gone@example.net: hard bounce 5.0.0\n"
    again = herald("bounces", pub, "-", input=fixture("exim-hard.eml", tokens["gone@example.net"]).decode(), env=env)
    assert "already read (bounced)" in again.stdout
    complaint = herald("bounces", pub, "-", input=fixture("arf-abuse.eml", tokens["reader@hotmail.example"]).decode(), env=env)
    assert "unsubscribed reader@hotmail.example: complaint abuse" in complaint.stdout
    assert psql(url, password, "SELECT address, status FROM subscribers ORDER BY id") == [
        "gone@example.net\tbounced", "reader@hotmail.example\tunsubscribed"]
    assert psql(url, password, "SELECT decision FROM bounce_reports ORDER BY id") == ["bounced", "unsubscribed"]
    assert psql(url, password, "SELECT client FROM consents WHERE action = 'unsubscribed'") == ["abuse report"]
    before = psql(url, password, "SELECT count(*) FROM digests")
    herald("digest", pub, "--out", tmp_path / "preview", env=env)
    assert (tmp_path / "preview" / "digest.html").exists()
    assert psql(url, password, "SELECT count(*) FROM digests") == before == ["0"]
    herald("send", pub, "--test", "probe@example.net", env=dict(SECRET, **env))
    assert [rcpt for rcpt, _ in recorder.accepted] == ["probe@example.net"]
    assert psql(url, password, "SELECT count(*) FROM digests") == ["0"]


def test_a_feed_source_build_keeps_what_it_saw_in_the_database(herald, tmp_path, postgres_database):
    """A publication fed by another site's feed keeps the last answer and the entries seen
    in the database, not in a SQLite file: the next build asks "changed since?" and gets a 304."""
    from feed_server import FeedServer
    from test_feed_source import POSTS, hugo, publication
    url, password = postgres_database
    path, _ = hugo(tmp_path / "site", tmp_path / "www", POSTS)
    server = FeedServer(tmp_path / "www")
    try:
        pub = publication(tmp_path, server.url(path), smtp_servers.free_port(), feeds="feeds:\n  entries: 0\n")
        on_postgres(pub, url)
        env = {"HERALD_STATE_PASSWORD": password}
        herald("build", pub, "--out", tmp_path / "out", env=env)
        assert psql(url, password, "SELECT url FROM feed_fetches") == [server.url(path)]
        assert psql(url, password, "SELECT count(*) FROM feed_entries") == [str(len(POSTS))]
        before = len(server.requests())
        herald("build", pub, "--out", tmp_path / "out", env=env)
        assert server.requests()[before:] == [("/" + path, 304)]
        assert not list((tmp_path / "xdg-state").rglob("state.sqlite"))
    finally:
        server.stop()
