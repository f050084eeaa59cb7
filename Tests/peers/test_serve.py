"""`herald serve` against real peers: Chromium through selenium, curl, aiosmtpd, nginx.

Each test builds a publication whose base_url is the served address
(`http://127.0.0.1:PORT/news/`), so the links in the mails it sends are the links
a reader follows. The state database is read with sqlite3 to check what a request
changed, and compared whole before and after requests that must change nothing."""
import contextlib
import datetime
import base64
import gzip
import hashlib
import hmac
import http.client
import os
import pathlib
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import threading
import time
import urllib.parse

import pytest

import smtp_servers
from chromium import screenshots

ROOT = pathlib.Path(__file__).resolve().parents[2]
SECRET = "peer-test-secret-0123456789abcdef"


# --- a site: publication + SMTP peer + herald serve ------------------------------------

class Site:
    def __init__(self, tmp_path, herald_bin, herald, name="news", mount="/news/", extra_yml="", delay=0.0):
        self.tmp, self.bin, self.herald, self.name = tmp_path, herald_bin, herald, name
        self.recorder = smtp_servers.Recorder(delay=delay)
        self.smtp = smtp_servers.start(self.recorder)
        self.port = smtp_servers.free_port()
        self.base = f"http://127.0.0.1:{self.port}{mount}"
        self.pub = tmp_path / name
        (self.pub / "posts").mkdir(parents=True)
        self.post("hello", "Hello readers", hours=24)
        (self.pub / "herald.yml").write_text(f"""title: Peer News
description: News for the peer tests
base_url: {self.base}
language: en
digest:
  from: Peer News <digest@news.example.org>
{extra_yml}smtp:
  url: smtp://127.0.0.1:{self.smtp.port}
  retry_delay: 0
""")
        self.env = dict(os.environ, STATE_DIRECTORY=str(tmp_path / "state"), HERALD_UNSUBSCRIBE_SECRET=SECRET)
        self.db_path = tmp_path / "state" / name / "state.sqlite"
        self.out = tmp_path / "public" / name
        self.process = None

    def post(self, slug, title, hours):
        date = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")
        (self.pub / "posts" / f"{slug}.md").write_text(f"---\ntitle: {title}\ndate: {date}\n---\nThe post called {title}.\n")

    def run(self, *args, check=True):
        return self.herald(*args, check=check, env=self.env, cwd=self.tmp)

    def start(self, *publications, extra=()):
        self.run("build", self.pub)
        args = [self.bin, "serve", *(publications or [self.pub]), "--listen", f"127.0.0.1:{self.port}", *extra]
        self.log = open(self.tmp / "serve.log", "w")
        self.process = subprocess.Popen(args, cwd=self.tmp, env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"herald serve exited {self.process.returncode}: {(self.tmp / 'serve.log').read_text()}")
            with contextlib.suppress(OSError):
                if self.request("GET", "/healthz")[0] == 200:
                    return self
            time.sleep(0.1)
        raise AssertionError("herald serve did not answer /healthz within 30 s")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                assert self.process.wait(timeout=10) == 0, "herald serve did not exit 0 on SIGTERM"
            finally:
                if self.process.poll() is None:
                    self.process.kill()
        self.smtp.stop()

    def request(self, method, path, body=None, headers=None):
        """(status, headers as a lower-cased dict, body bytes). `path` is absolute on the server."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            conn.close()

    def path(self, route):
        return urllib.parse.urlsplit(self.base).path + route

    def form(self, route="subscribe"):
        """GET a form page: (csrf field value, cookie header) as a browser would keep them."""
        status, headers, body = self.request("GET", self.path(route))
        assert status == 200, body
        csrf = re.search(rb'name="csrf" value="([^"]+)"', body).group(1).decode()
        cookie = headers["set-cookie"].split(";")[0]
        return csrf, cookie

    def post_form(self, route, fields, cookie, extra_headers=None):
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
        headers.update(extra_headers or {})
        return self.request("POST", self.path(route), urllib.parse.urlencode(fields).encode(), headers)

    def subscribe_cli(self, *addresses):
        for address in addresses:
            self.run("subscribers", self.pub, "add", address)

    def send(self):
        return self.run("send", self.pub)

    def db(self):
        return sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True)

    def snapshot(self):
        """Every row of every table: what "changes nothing" is checked against."""
        with contextlib.closing(self.db()) as db:
            tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
            return {t: db.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in tables}

    def status_of(self, address):
        with contextlib.closing(self.db()) as db:
            row = db.execute("SELECT status FROM subscribers WHERE address = ?", (address,)).fetchone()
        return row and row[0]

    def token_of(self, address):
        with contextlib.closing(self.db()) as db:
            return db.execute("SELECT unsubscribe_token FROM subscribers WHERE address = ?", (address,)).fetchone()[0]

    def mails_to(self, address):
        return [m for rcpt, m in self.recorder.accepted if rcpt == address]


def text_part(message):
    return message.get_body(("plain",)).get_content()


def confirm_link(message):
    return re.search(r"(http://\S+/confirm\?token=[A-Za-z0-9_-]+)", text_part(message)).group(1)


def list_unsubscribe(message):
    return re.search(r"<(http[^>]+)>", str(message["List-Unsubscribe"])).group(1)


@pytest.fixture
def site(tmp_path, herald_bin, herald):
    made = []

    def make(**kw):
        s = Site(tmp_path, herald_bin, herald, **kw)
        made.append(s)
        return s
    yield make
    for s in made:
        s.stop()


def wait_for(predicate, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def test_subscribe_and_confirm_in_a_real_browser(site, browser, tmp_path):
    from selenium.webdriver.common.by import By
    s = site().start()
    browser.get(s.base + "subscribe")
    assert "Peer News" in browser.title
    screenshots(browser, tmp_path / "screens", "subscribe")
    browser.find_element(By.ID, "email").send_keys("Reader@Example.ORG")
    browser.find_element(By.ID, "name").send_keys("Rea Der")
    browser.find_element(By.ID, "subscribe").click()
    assert "check your inbox" in browser.find_element(By.ID, "outcome").text.lower()
    screenshots(browser, tmp_path / "screens", "check-inbox")
    assert s.status_of("Reader@example.org") is None  # pending is not subscribed
    assert wait_for(lambda: s.mails_to("Reader@example.org"))
    (mail,) = s.mails_to("Reader@example.org")
    link = confirm_link(mail)
    assert link.startswith(s.base + "confirm?token=")
    assert "reader" not in link.lower() and "example.org" not in link.split("?")[1].lower()
    browser.get(link)
    screenshots(browser, tmp_path / "screens", "confirm")
    assert s.status_of("Reader@example.org") is None  # the GET alone confirms nothing
    browser.find_element(By.ID, "confirm").click()
    assert browser.find_element(By.ID, "outcome").text
    screenshots(browser, tmp_path / "screens", "confirmed")
    assert s.status_of("Reader@example.org") == "active"
    # Consent: when, from where, with what, on which page; `subscribers export` shows it.
    export = s.run("subscribers", s.pub, "export").stdout
    header, row = export.splitlines()[0], next(l for l in export.splitlines() if l.startswith("Reader@example.org"))
    assert "consent_at" in header and "consent_client" in header and "consent_user_agent" in header
    assert "127.0.0.1" in row and "HeadlessChrome" in row and "/news/confirm" in row


def test_unsubscribe_page_from_a_real_digests_link(site, browser, tmp_path):
    from selenium.webdriver.common.by import By
    s = site()
    s.subscribe_cli("leave@example.org", "stay@example.org")
    s.start()
    s.send()
    (mail,) = s.mails_to("leave@example.org")
    html = mail.get_body(("html",)).get_content()
    link = re.search(r'href="([^"]*/unsubscribe\?token=[^"]+)"', html).group(1).replace("&amp;", "&")
    assert link.startswith(s.base + "unsubscribe?token=") and "leave" not in link
    browser.get(link)
    screenshots(browser, tmp_path / "screens", "unsubscribe")
    assert s.status_of("leave@example.org") == "active"
    browser.find_element(By.ID, "unsubscribe").click()
    assert browser.find_element(By.ID, "outcome").text
    screenshots(browser, tmp_path / "screens", "unsubscribed")
    assert s.status_of("leave@example.org") == "unsubscribed"
    assert s.status_of("stay@example.org") == "active"


# --- RFC 8058 with curl; tokens -------------------------------------------------------------

def curl(*args):
    return subprocess.run(["curl", "-sS", "--max-time", "10", *args], capture_output=True, text=True, timeout=20)


def test_rfc8058_one_click_post_with_curl_from_list_unsubscribe(site):
    s = site()
    s.subscribe_cli("one@example.org", "two@example.org")
    s.start()
    s.send()
    (mail,) = s.mails_to("one@example.org")
    # RFC 8058 advertises one-click for https URIs only; this site is http on loopback,
    # and curl sends the POST a mailbox provider would.
    assert mail["List-Unsubscribe-Post"] is None
    url = list_unsubscribe(mail)  # no unsubscribe_url configured: the served route
    assert url.startswith(s.base + "unsubscribe?token=")
    for _ in range(2):  # idempotent: the second POST answers 200 too
        proc = curl("-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", "-d", "List-Unsubscribe=One-Click", url)
        assert proc.stdout == "200", proc.stderr
        assert s.status_of("one@example.org") == "unsubscribed"
    assert s.status_of("two@example.org") == "active"
    # The next digest goes to the remaining subscriber only.
    s.post("second", "Second post", hours=1)
    s.recorder.accepted.clear()
    s.send()
    assert s.recorder.recipients() == ["two@example.org"]


def v1_token(address, secret, list_id):
    """An unsubscribe token as Herald made them before opaque tokens (in mail already sent)."""
    b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
    mac = hmac.new(secret.encode(), b"herald-unsubscribe-v1\0" + list_id.encode() + b"\0" + address.encode(),
                   hashlib.sha256).digest()
    return f"v1.{b64(address.encode())}.{b64(mac)}"


def test_links_in_mail_sent_before_opaque_tokens_still_unsubscribe(site):
    s = site()
    s.subscribe_cli("early@example.org", "later@example.org")
    # What an upgraded state holds: both subscriptions predate the opaque tokens.
    with contextlib.closing(sqlite3.connect(s.db_path)) as db, db:
        db.execute("UPDATE subscribers SET accepts_legacy_token = 1")
    s.run("subscribers", s.pub, "remove", "later@example.org")
    s.run("subscribers", s.pub, "add", "later@example.org")  # a new subscription since
    s.start()
    list_id = "news.127.0.0.1"  # no digest.list_id: NAME.host
    early = s.base + "unsubscribe?token=" + v1_token("early@example.org", SECRET, list_id)
    assert s.request("GET", urllib.parse.urlsplit(early).path + "?" + urllib.parse.urlsplit(early).query)[0] == 200
    assert s.status_of("early@example.org") == "active"  # the page changed nothing
    for _ in range(2):
        proc = curl("-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", "-d", "List-Unsubscribe=One-Click", early)
        assert proc.stdout == "200", proc.stderr
    assert s.status_of("early@example.org") == "unsubscribed"
    for token in (v1_token("later@example.org", SECRET, list_id),          # re-subscribed since
                  v1_token("early@example.org", "another-secret-0123456789", list_id),
                  v1_token("early@example.org", SECRET, "other.example.org")):
        proc = curl("-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", "-d", "List-Unsubscribe=One-Click",
                    s.base + "unsubscribe?token=" + token)
        assert proc.stdout == "400", token
    assert s.status_of("later@example.org") == "active"


def test_forged_expired_and_stale_tokens_get_4xx_and_change_nothing(site):
    s = site()
    s.subscribe_cli("stale@example.org")
    s.start()
    # An expired confirmation: request one, then let its time pass.
    csrf, cookie = s.form()
    assert s.post_form("subscribe", {"csrf": csrf, "email": "late@example.org"}, cookie)[0] == 200
    assert wait_for(lambda: s.mails_to("late@example.org"))
    expired = urllib.parse.urlsplit(confirm_link(s.mails_to("late@example.org")[0])).query.split("=", 1)[1]
    with contextlib.closing(sqlite3.connect(s.db_path)) as db, db:
        db.execute("UPDATE pending_subscriptions SET expires_at = '2000-01-01 00:00:00.000'")
    # A stale unsubscribe token: the subscriber left and came back since.
    stale = s.token_of("stale@example.org")
    curl("-X", "POST", "-d", "List-Unsubscribe=One-Click", s.base + "unsubscribe?token=" + stale)
    assert s.status_of("stale@example.org") == "unsubscribed"
    s.run("subscribers", s.pub, "add", "stale@example.org")
    assert s.token_of("stale@example.org") != stale
    forged = "0" * 32
    before = s.snapshot()
    csrf, cookie = s.form()
    cases = [("confirm", forged, 400), ("confirm", expired, 410), ("confirm", "../../etc/passwd", 400),
             ("unsubscribe", forged, 400), ("unsubscribe", stale, 400), ("unsubscribe", "v1.bGVhdmU.AAAA", 400)]
    for route, token, code in cases:
        q = urllib.parse.quote(token, safe="")
        status, headers, body = s.request("GET", s.path(f"{route}?token={q}"))
        assert status == code, (route, token, status)
        assert b'id="outcome"' in body and b"<form" not in body  # a page that says so, no button
        status, _, _ = s.post_form(f"{route}?token={q}", {"csrf": csrf, "token": token}, cookie)
        assert status == code, (route, token, status)
        status, _, _ = s.request("POST", s.path(f"{route}?token={q}"), b"List-Unsubscribe=One-Click",
                                 {"Content-Type": "application/x-www-form-urlencoded"})
        assert 400 <= status < 500
    assert s.snapshot() == before
    assert s.status_of("stale@example.org") == "active" and s.status_of("late@example.org") is None


def test_get_and_head_never_change_state(site):
    s = site()
    s.subscribe_cli("keep@example.org")
    s.start()
    csrf, cookie = s.form()
    s.post_form("subscribe", {"csrf": csrf, "email": "new@example.org"}, cookie)
    assert wait_for(lambda: s.mails_to("new@example.org"))
    confirm = urllib.parse.urlsplit(confirm_link(s.mails_to("new@example.org")[0])).query
    unsubscribe = "token=" + s.token_of("keep@example.org")
    before = s.snapshot()
    for method in ("GET", "HEAD"):
        for path in (f"confirm?{confirm}", f"unsubscribe?{unsubscribe}", f"unsubscribe?{unsubscribe}&List-Unsubscribe=One-Click",
                     "subscribe?email=x%40example.org", "archive/", "healthz"):
            s.request(method, s.path(path))
        # link scanners follow with curl-like clients too
        curl("-o", "/dev/null", "-L", s.base + f"unsubscribe?{unsubscribe}")
    assert s.snapshot() == before
    assert len(s.recorder.accepted) == 1


# --- safety ------------------------------------------------------------------------------

def test_forms_need_a_csrf_token_and_pages_send_a_strict_csp(site):
    s = site().start()
    status, headers, body = s.request("GET", s.path("subscribe"))
    csp = headers["content-security-policy"]
    for directive in ("default-src 'none'", "form-action 'self'", "frame-ancestors 'none'"):
        assert directive in csp
    assert "unsafe-inline" not in csp and headers["x-content-type-options"] == "nosniff"
    assert "samesite=strict" in headers["set-cookie"].lower() and "httponly" in headers["set-cookie"].lower()
    csrf, cookie = s.form()
    fields = {"email": "victim@example.org"}
    assert s.post_form("subscribe", fields, cookie)[0] == 403                             # no token
    assert s.post_form("subscribe", dict(fields, csrf=csrf), "herald_csrf=other")[0] == 403  # not this cookie's
    assert s.post_form("subscribe", dict(fields, csrf=csrf[:-3] + "AAA"), cookie)[0] == 403  # altered
    assert s.post_form("subscribe", dict(fields, csrf=csrf), cookie, {"Origin": "https://evil.example"})[0] == 403
    assert s.post_form("subscribe", dict(fields, csrf=csrf), cookie, {"Sec-Fetch-Site": "cross-site"})[0] == 403
    time.sleep(0.5)
    assert s.recorder.accepted == []
    assert s.post_form("subscribe", dict(fields, csrf=csrf), cookie, {"Origin": s.base.rstrip("/").rsplit("/", 1)[0]})[0] == 200


def test_bad_input_is_refused_with_a_page_and_sends_nothing(site):
    s = site().start()
    csrf, cookie = s.form()
    status, _, body = s.post_form("subscribe", {"csrf": csrf, "email": "<script>alert(1)</script>"}, cookie)
    assert status == 400 and b"<script>alert" not in body and b"&lt;script&gt;" in body
    status, _, body = s.post_form("subscribe", {"csrf": csrf, "email": "ok@example.org", "name": "Eve\r\nBcc: all@example.org"}, cookie)
    assert status == 400 and b"Bcc" not in body.split(b"<form")[0]
    assert s.post_form("subscribe", {"csrf": csrf, "email": "a" * 250 + "@example.org"}, cookie)[0] == 400
    assert s.post_form("subscribe", {"csrf": csrf, "email": "ok@example.org", "name": "n" * 500}, cookie)[0] == 400
    big = urllib.parse.urlencode({"csrf": csrf, "email": "ok@example.org", "name": "x" * 200_000}).encode()
    status, _, _ = s.request("POST", s.path("subscribe"), big, {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    assert status == 413
    status, _, _ = s.request("POST", s.path("unsubscribe?token=" + "0" * 32), b"x" * 100_000,
                             {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 413
    time.sleep(0.5)
    assert s.recorder.accepted == []
    with contextlib.closing(s.db()) as db:
        assert db.execute("SELECT COUNT(*) FROM pending_subscriptions").fetchone() == (0,)
    # Still serving after all that.
    assert s.request("GET", "/healthz")[0] == 200


def test_a_burst_of_100_subscribes_is_rate_limited_and_mails_once(site):
    s = site().start()
    csrf, cookie = s.form()
    codes = []
    for _ in range(100):
        codes.append(s.post_form("subscribe", {"csrf": csrf, "email": "flood@example.org"}, cookie)[0])
    assert set(codes) <= {200, 429} and codes[0] == 200
    assert codes.count(429) >= 90, codes
    time.sleep(1)
    assert len(s.mails_to("flood@example.org")) == 1
    # The flooding client stays limited; another client behind the proxy (nginx on loopback
    # names it in X-Forwarded-For) is not, but the address gets no second mail in its window.
    assert s.post_form("subscribe", {"csrf": csrf, "email": "flood@example.org"}, cookie)[0] == 429
    status, _, body = s.post_form("subscribe", {"csrf": csrf, "email": "flood@example.org"}, cookie,
                                  {"X-Forwarded-For": "203.0.113.9"})
    assert status == 200 and b"check your inbox" in body.lower()
    time.sleep(0.5)
    assert len(s.mails_to("flood@example.org")) == 1
    assert s.request("GET", s.path("subscribe"))[0] == 200


# --- static files, archive, health -------------------------------------------------------

def test_output_folder_with_etag_last_modified_304_and_gzip(site):
    s = site().start()
    atom = (s.out / "atom.xml").read_bytes()
    status, headers, body = s.request("GET", s.path("atom.xml"))
    assert status == 200 and body == atom
    assert headers["content-type"].startswith("application/atom+xml")
    etag, modified = headers["etag"], headers["last-modified"]
    assert s.request("GET", s.path("atom.xml"), headers={"If-None-Match": etag})[0] == 304
    assert s.request("GET", s.path("atom.xml"), headers={"If-Modified-Since": modified})[0] == 304
    assert s.request("GET", s.path("atom.xml"), headers={"If-None-Match": '"other"'})[0] == 200
    status, headers, body = s.request("GET", s.path("atom.xml"), headers={"Accept-Encoding": "gzip"})
    assert status == 200 and headers["content-encoding"] == "gzip" and gzip.decompress(body) == atom
    assert "accept-encoding" in headers["vary"].lower()
    status, _, _ = s.request("GET", s.path("atom.xml"), headers={"Accept-Encoding": "gzip", "If-None-Match": headers["etag"]})
    assert status == 304
    assert s.request("GET", s.path("rss.xml"))[1]["content-type"].startswith("application/rss+xml")
    # curl as a feed reader: --compressed decodes, a second fetch with the ETag is a 304.
    proc = curl("--compressed", "-D", "-", "-o", str(s.tmp / "got.xml"), s.base + "atom.xml")
    assert (s.tmp / "got.xml").read_bytes() == atom
    assert curl("-o", "/dev/null", "-w", "%{http_code}", "-H", f"If-None-Match: {etag}", s.base + "atom.xml").stdout == "304"
    assert s.request("GET", s.path("no-such-file.xml"))[0] == 404
    assert s.request("GET", s.path("../herald.yml"))[0] in (400, 404)
    assert s.request("GET", s.path("%2e%2e/herald.yml"))[0] in (400, 404)
    status, _, body = s.request("GET", "/healthz")
    assert status == 200 and body.strip() == b"ok"


def answers(s, conn, method, path, headers):
    """(status, headers without Date, body) over one kept-alive connection."""
    conn.request(method, path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    return response.status, sorted((k.lower(), v) for k, v in response.getheaders() if k.lower() != "date"), body


def test_repeated_conditional_gets_are_answered_as_the_router_answers_them(site):
    """A repeated conditional GET may be answered ahead of the router (NotModifiedCache);
    the same request with a query always goes through the router, which ignores the query
    for files: the plain way each answer is held to, for every variant of the request."""
    s = site().start()
    paths = [s.path("atom.xml"), s.path("rss.xml"), s.path("feed.xsl"), s.path("archive/"), s.path("feed.json")]
    paths = [p for p in paths if s.request("GET", p)[0] == 200]
    assert len(paths) >= 3, paths
    conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=10)
    compared = 0
    for path in paths:
        plain = s.request("GET", path)[1]
        gz = s.request("GET", path, headers={"Accept-Encoding": "gzip"})[1]
        validators = [{"If-None-Match": plain["etag"]}, {"If-None-Match": gz["etag"]}, {"If-None-Match": '"other"'},
                      {"If-None-Match": f'"x", {plain["etag"]}'}, {"If-Modified-Since": plain["last-modified"]},
                      {"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}]
        variants = [{}, {"Accept-Encoding": "gzip"}, {"Accept": "text/html,application/xhtml+xml"},
                    {"Accept": "application/atom+xml", "Accept-Encoding": "gzip, deflate"}]
        for method in ("GET", "HEAD"):
            for validator in validators:
                for variant in variants:
                    headers = {**validator, **variant}
                    router = answers(s, conn, method, path + "?plain", headers)
                    for _ in range(3):
                        assert answers(s, conn, method, path, headers) == router, (method, path, headers)
                    compared += 1
    assert compared >= 3 * 2 * 6 * 4
    # A feed rebuilt under a reader's poll: its old ETag is never answered 304 again.
    atom = s.path("atom.xml")
    old = s.request("GET", atom)[1]["etag"]
    for _ in range(3):
        assert answers(s, conn, "GET", atom, {"If-None-Match": old})[0] == 304
    s.post("later", "A later post", hours=1)
    s.run("build", s.pub)
    status, headers, body = answers(s, conn, "GET", atom, {"If-None-Match": old})
    assert status == 200 and b"A later post" in body and dict(headers)["etag"] != old
    conn.close()


# What Chromium sends when it opens an address, and what feed readers send.
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
READER_ACCEPT = "application/rss+xml, application/atom+xml, application/feed+json, text/xml, application/xml, */*"


def test_a_browser_gets_a_feeds_page_and_a_feed_reader_the_feed(site, browser, tmp_path):
    """Every feed opened in a browser is a page of it (no XSLT needed) that offers the email
    digest; feedparser and curl as a reader get the feed's bytes; neither ever gets the
    other's answer, from a repeated conditional GET either."""
    from selenium.webdriver.common.by import By
    import feedparser
    s = site().start()
    for name, kind in [("atom.xml", "application/atom+xml"), ("rss.xml", "application/rss+xml"),
                       ("feed.json", "application/feed+json")]:
        feed = (s.out / name).read_bytes()
        got = curl("-H", f"Accept: {READER_ACCEPT}", "-D", str(s.tmp / "head.txt"), "-o", str(s.tmp / "got"), s.base + name)
        assert got.returncode == 0 and (s.tmp / "got").read_bytes() == feed, name
        status, headers, body = s.request("GET", s.path(name), headers={"Accept": BROWSER_ACCEPT})
        assert status == 200 and headers["content-type"].startswith("text/html"), (name, headers)
        assert "accept" in [v.strip().lower() for v in headers["vary"].split(",")], headers
        page = body.decode()
        assert f'value="{s.base}{name}"' in page and f'href="{s.base}subscribe"' in page and "Hello readers" in page
        # Validators of one are never the other's: each gets its own answer after the other's ETag.
        reader = s.request("GET", s.path(name), headers={"Accept": READER_ACCEPT})[1]
        assert "accept" in [v.strip().lower() for v in reader["vary"].split(",")], reader
        for _ in range(3):
            assert s.request("GET", s.path(name), headers={"Accept": READER_ACCEPT, "If-None-Match": reader["etag"]})[0] == 304
            status, _, body = s.request("GET", s.path(name), headers={"Accept": BROWSER_ACCEPT, "If-None-Match": reader["etag"]})
            assert status == 200 and body.startswith(b"<!DOCTYPE html>"), name
            status, _, body = s.request("GET", s.path(name), headers={"Accept": READER_ACCEPT, "If-None-Match": headers["etag"]})
            assert status == 200 and body == feed, name
    for name in ["atom.xml", "rss.xml"]:
        parsed = feedparser.parse(s.base + name)
        assert parsed.bozo == 0 and [e.title for e in parsed.entries] == ["Hello readers"], name

    browser.get(s.base + "atom.xml")
    assert browser.find_element(By.CSS_SELECTOR, "header .masthead").text == "Peer News"
    assert [a.text for a in browser.find_elements(By.CSS_SELECTOR, "#entries h3 a")] == ["Hello readers"]
    assert browser.find_element(By.ID, "address").get_attribute("value") == s.base + "atom.xml"
    assert not browser.find_elements(By.TAG_NAME, "xslt-warning-banner")
    screenshots(browser, tmp_path / "screens", "feed-page")
    browser.find_element(By.ID, "subscribe").click()
    assert browser.find_element(By.ID, "email") and browser.current_url == s.base + "subscribe"


def test_pipelined_requests_are_answered_in_order(site):
    """HTTP/1.1 pipelining: a repeat that could be answered at once waits behind a slower
    request sent before it on the same connection."""
    s = site().start()
    etag = s.request("GET", s.path("atom.xml"))[1]["etag"]
    assert s.request("GET", s.path("atom.xml"), headers={"If-None-Match": etag})[0] == 304
    conditional = f"GET {s.path('atom.xml')} HTTP/1.1\r\nHost: x\r\nIf-None-Match: {etag}\r\n\r\n"
    health = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
    form = f"GET {s.path('subscribe')} HTTP/1.1\r\nHost: x\r\n\r\n"
    with socket.create_connection(("127.0.0.1", s.port), timeout=10) as sock:
        sock.sendall((form + conditional + health + conditional).encode())
        data = b""
        # The last answer is a 304: no body, so the stream ends with its blank line.
        while not (data.count(b"HTTP/1.1 ") >= 4 and data.endswith(b"\r\n\r\n")):
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    statuses = re.findall(rb"^HTTP/1\.1 (\d{3})", data, re.M)
    assert statuses == [b"200", b"304", b"200", b"304"], data[:2000]
    assert data.index(b"</html>") < data.index(b"304 Not Modified")


def test_send_writes_archive_pages_and_mails_link_to_them(site):
    s = site()
    s.subscribe_cli("reader@example.org")
    s.start()
    s.send()
    (mail,) = s.mails_to("reader@example.org")
    assert s.base + "archive/1/" in text_part(mail)
    page = (s.out / "archive" / "1" / "index.html").read_text()
    assert "Hello readers" in page and "reader@example.org" not in page and "token=" not in page
    status, headers, body = s.request("GET", s.path("archive/1/"))
    assert status == 200 and b"Hello readers" in body and headers["content-type"].startswith("text/html")
    status, _, index = s.request("GET", s.path("archive/"))
    assert status == 200 and b'href="1/"' in index


def test_unsubscribe_during_a_send_stops_the_deliveries_not_yet_attempted(site):
    s = site(delay=0.15)
    addresses = [f"r{i:02}@example.org" for i in range(20)]
    s.subscribe_cli(*addresses)
    s.start()
    last = addresses[-1]
    token = s.token_of(last)
    sender = subprocess.Popen([s.bin, "send", s.pub], cwd=s.tmp, env=s.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert wait_for(lambda: len(s.recorder.accepted) >= 2, timeout=20)
    proc = curl("-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", "-d", "List-Unsubscribe=One-Click",
                s.base + "unsubscribe?token=" + token)
    assert proc.stdout == "200"  # answered while the sender holds its lock and writes (WAL)
    out, err = sender.communicate(timeout=60)
    assert sender.returncode == 0, err
    assert last not in s.recorder.recipients()
    assert sorted(s.recorder.recipients()) == addresses[:-1]


def test_two_publications_each_at_its_base_url_path(site, tmp_path):
    s = site()
    other = tmp_path / "weekly"
    shutil.copytree(s.pub, other)
    (other / "herald.yml").write_text((s.pub / "herald.yml").read_text()
                                      .replace("/news/", "/").replace("title: Peer News", "title: Peer Weekly")
                                      .replace("language: en", "language: zh-CN"))
    s.run("build", other)
    s.start(s.pub, other)
    assert b"Peer News" in s.request("GET", "/news/subscribe")[2]
    weekly = s.request("GET", "/subscribe")[2].decode()
    # Each in its own language: the Chinese publication's form says 订阅 (subscribe).
    assert "Peer Weekly" in weekly and 'lang="zh-CN"' in weekly and "订阅" in weekly and "Subscribe" not in weekly
    assert s.request("GET", "/news/atom.xml")[2] == (s.out / "atom.xml").read_bytes()
    assert s.request("GET", "/atom.xml")[2] == (tmp_path / "public" / "weekly" / "atom.xml").read_bytes()


def test_a_deeper_publication_owns_its_paths_and_the_shallower_fills_the_gaps(site, tmp_path):
    """Mounts at / and /news/, where the / publication's folder also has a news/ folder: the
    /news/ publication's files win, a file only the / folder has is still served (gzipped
    when asked), and a repeated conditional GET follows the same file."""
    s = site()
    other = tmp_path / "weekly"
    shutil.copytree(s.pub, other)
    (other / "herald.yml").write_text((s.pub / "herald.yml").read_text().replace("/news/", "/"))
    s.run("build", other)
    stray = tmp_path / "public" / "weekly" / "news"
    stray.mkdir()
    (stray / "atom.xml").write_text("<feed>not the news publication's</feed>")
    (stray / "only-here.txt").write_text("from the publication at /\n" * 50)
    s.start(s.pub, other)
    news = (s.out / "atom.xml").read_bytes()
    status, headers, body = s.request("GET", "/news/atom.xml")
    assert status == 200 and body == news
    etag = headers["etag"]
    for _ in range(3):
        assert s.request("GET", "/news/atom.xml", headers={"If-None-Match": etag})[0] == 304
    status, _, body = s.request("GET", "/news/only-here.txt")
    assert status == 200 and body == (stray / "only-here.txt").read_bytes()
    status, headers, body = s.request("GET", "/news/only-here.txt", headers={"Accept-Encoding": "gzip"})
    assert status == 200 and headers.get("content-encoding") == "gzip"
    assert gzip.decompress(body) == (stray / "only-here.txt").read_bytes()
    # The news publication rebuilt: the old ETag is never answered 304 again.
    s.post("later", "A later post", hours=1)
    s.run("build", s.pub)
    status, _, body = s.request("GET", "/news/atom.xml", headers={"If-None-Match": etag})
    assert status == 200 and b"A later post" in body


def test_serve_refuses_bad_arguments_with_usage_and_config_codes(herald_bin, tmp_path, example_copy):
    def serve(*args, env=None):
        return subprocess.run([herald_bin, "serve", *map(str, args)], capture_output=True, text=True, timeout=20,
                              env=env or dict(os.environ, HERALD_UNSUBSCRIBE_SECRET=SECRET), cwd=tmp_path)
    bad = serve(example_copy, "--listen", "nowhere")
    assert bad.returncode == 64 and "--listen" in bad.stderr
    assert serve(tmp_path / "missing").returncode in (65, 78)
    # No unsubscribe secret: forms cannot be signed; say so before listening.
    env = {k: v for k, v in os.environ.items() if k != "HERALD_UNSUBSCRIBE_SECRET"}
    proc = serve(example_copy, "--listen", f"127.0.0.1:{smtp_servers.free_port()}", env=env)
    assert proc.returncode == 78 and "HERALD_UNSUBSCRIBE_SECRET" in proc.stderr


# --- deploy ------------------------------------------------------------------------------

def test_serve_unit_verifies_and_is_hardened_like_herald(tmp_path, herald_bin):
    unit = (ROOT / "deploy" / "herald-serve@.service").read_text()
    (tmp_path / "herald-serve@.service").write_text(unit.replace("/usr/local/bin/herald", herald_bin))
    os.symlink(tmp_path / "herald-serve@.service", tmp_path / "herald-serve@weekly.service")
    proc = subprocess.run(["systemd-analyze", "verify", "--man=no", str(tmp_path / "herald-serve@weekly.service")],
                          capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stderr.strip() == "", proc.stderr
    base = (ROOT / "deploy" / "herald@.service").read_text()
    hardening = [l for l in base.splitlines() if re.match(r"(Protect|Private|Restrict|NoNew|Capability|Ambient|SystemCall|LockPers|MemoryDeny|StateDirectory|User=|Group=)", l)]
    for line in hardening:
        assert line in unit, line
    # Loopback only, as its default; another port comes from a drop-in, still on loopback.
    assert "--listen ${HERALD_LISTEN}" in unit and "Environment=HERALD_LISTEN=127.0.0.1:" in unit


def test_nginx_example_config_is_accepted_by_nginx(tmp_path):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.path.exists(nginx):
        pytest.fail("nginx is needed (scripts/bootstrap installs it)")
    cert, key = smtp_servers.self_signed_cert(tmp_path)
    site_conf = (ROOT / "deploy" / "nginx-herald.conf").read_text()
    site_conf = (site_conf.replace("/etc/letsencrypt/live/weekly.example.org/fullchain.pem", str(cert))
                 .replace("/etc/letsencrypt/live/weekly.example.org/privkey.pem", str(key))
                 .replace("/etc/herald/nginx-proxy.conf", str(ROOT / "deploy" / "nginx-proxy.conf"))
                 .replace("/var/log/nginx/", f"{tmp_path}/"))
    (tmp_path / "site.conf").write_text(site_conf)
    (tmp_path / "nginx.conf").write_text(f"""pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log;
events {{}}
http {{ include /etc/nginx/mime.types; access_log off; include {tmp_path}/site.conf; }}
""")
    proc = subprocess.run([nginx, "-t", "-q", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_serve_logs_each_decision_without_the_address(site):
    """serve's stderr (the journal under systemd) has a line for its start and stop and for each
    subscribe, confirm and unsubscribe decision, naming the subscriber by its keyed tag
    (`herald token tag`), never by address, in whatever letter case it was typed."""
    s = site()
    s.start()
    typed, address = "Reader.One@Example.ORG", "reader.one@example.org"
    csrf, cookie = s.form()
    assert s.post_form("subscribe", {"csrf": csrf, "email": typed}, cookie)[0] == 200
    mailed = lambda: [m for rcpt, m in s.recorder.accepted if rcpt.lower() == address]  # noqa: E731
    assert wait_for(mailed)
    link = confirm_link(mailed()[0])
    query = urllib.parse.urlsplit(link).query
    csrf, cookie = s.form(f"confirm?{query}")
    assert s.post_form(f"confirm?{query}", {"csrf": csrf, "token": query.split("=", 1)[1]}, cookie)[0] == 200
    # Again, within serve.confirm_window: answered the same, logged as what it was.
    csrf, cookie = s.form()
    assert s.post_form("subscribe", {"csrf": csrf, "email": address}, cookie)[0] == 200
    assert s.post_form("subscribe", {"csrf": csrf, "email": "not an address"}, cookie)[0] == 400
    assert s.post_form("subscribe", {"csrf": "forged", "email": address}, cookie)[0] == 403
    with contextlib.closing(s.db()) as db:
        token = s.token_of(db.execute("SELECT address FROM subscribers").fetchone()[0])
    one_click = {"Content-Type": "application/x-www-form-urlencoded"}
    for _ in range(2):
        status, _, _ = s.request("POST", s.path(f"unsubscribe?token={token}"), b"List-Unsubscribe=One-Click", one_click)
        assert status == 200
    assert s.request("POST", s.path("unsubscribe?token=" + "0" * 32), b"List-Unsubscribe=One-Click", one_click)[0] == 400
    tag = s.run("token", "tag", s.pub, address).stdout.strip()
    assert re.fullmatch(r"[0-9a-f]{12}", tag) and s.run("token", "tag", s.pub, typed).stdout.strip() == tag
    assert wait_for(lambda: "within serve.confirm_window" in (s.tmp / "serve.log").read_text())
    s.process.send_signal(signal.SIGTERM)
    assert s.process.wait(timeout=10) == 0
    log = (s.tmp / "serve.log").read_text()
    lines = log.splitlines()

    def line(text):
        found = [entry for entry in lines if text in entry]
        assert found, f"no line with {text!r} in:\n{log}"
        return found[0]
    assert "starting: 1 publication(s)" in line("starting:")
    for decision in ("subscribe: pending, confirmation mailed", "confirm: subscribed",
                     "subscribe: a confirmation went out within serve.confirm_window",
                     "unsubscribe: unsubscribed (one-click)",
                     "unsubscribe: already unsubscribed (one-click)"):
        entry = line(decision)
        assert f"subscriber={tag}" in entry and f"publication={s.name}" in entry, entry
    for refusal in ("subscribe refused: not an email address", "subscribe refused: the form check failed",
                    "unsubscribe refused: no subscription has this token"):
        assert "subscriber=" not in line(refusal)
    assert "every request answered" in line("stopped:")
    # No address, no local part, and no token in clear.
    assert "reader.one" not in log.lower() and token not in log and query.split("=", 1)[1] not in log
