"""A feed opened in a browser reads as a page: `herald build` writes feed.xsl
and names it in every Atom and RSS feed; `herald serve` serves the folder on 127.0.0.1
with XML content types, and headless Chromium applies the stylesheet. The page must show
the publication's title, the explanation of what a feed is in the publication's language
(templates/labels/LANG.yml), the address with a working copy button and every entry's title, at a
phone's and a desktop's width, without scrolling sideways or being blank."""
import contextlib
import datetime
import http.client
import json
import os
import pathlib
import pwd
import re
import shutil
import ssl
import subprocess
import time

import feedparser
import pytest
import yaml

import chromium
import smtp_servers

ROOT = pathlib.Path(__file__).resolve().parents[2]
SECRET = "peer-test-secret-0123456789abcdef"
# What Chromium sends when it opens an address.
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"

TITLES = {
    "zh-CN": ["Mesh v2.0 发布：Runtime API 与 WebAssembly 插件", "社区周报｜会议预告 & 本周贡献",
              "如何参与 <开源之夏>", "第一次贡献：从 good first issue 开始"],
    "en": ["Release 2.0: faster & smaller", "Weekly notes <14>", "How to send your first patch",
           "A very long title that keeps going so that a phone-sized screen has to wrap it onto several lines"],
}


def labels(language):
    table = "zh" if language.startswith("zh") else "en"
    return yaml.safe_load((ROOT / "templates" / "labels" / f"{table}.yml").read_text(encoding="utf-8"))


class Publication:
    """A publication with four posts and archive pages of two, served by `herald serve`
    at its own base URL so the feeds' addresses are the ones the browser opens. (Serve
    needs an SMTP server in the settings; no page this test opens sends mail.)"""

    def __init__(self, tmp_path, herald, herald_bin, language, extra_feeds=""):
        self.herald, self.bin, self.language = herald, herald_bin, language
        self.tmp = tmp_path
        self.port = smtp_servers.free_port()
        self.base = f"http://127.0.0.1:{self.port}/"
        self.pub = tmp_path / "pub"
        self.out = tmp_path / "out"
        (self.pub / "posts").mkdir(parents=True)
        now = datetime.datetime.now(datetime.timezone.utc)
        for i, title in enumerate(TITLES[language]):
            date = (now - datetime.timedelta(days=i + 1)).strftime("%Y-%m-%dT%H:%M:%SZ")
            (self.pub / "posts" / f"post-{i}.md").write_text(
                f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\ndate: {date}\n"
                f"slug: post-{i}\nsummary: The summary of post {i} & more.\ntags: [news]\n---\nThe body of post {i}.\n",
                encoding="utf-8")
        self.title = "开源社区周报" if language.startswith("zh") else "Peer Weekly"
        (self.pub / "herald.yml").write_text(f"""title: {self.title}
description: Feeds for the stylesheet test
base_url: {self.base}
language: {language}
feeds:
  archive: 2
{extra_feeds}digest:
  from: Peer Weekly <digest@news.example.org>
smtp:
  url: smtp://127.0.0.1:{smtp_servers.free_port()}
""", encoding="utf-8")
        self.env = dict(os.environ, STATE_DIRECTORY=str(tmp_path / "state"), HERALD_UNSUBSCRIBE_SECRET=SECRET)
        self.process = None

    def build(self, *args):
        return self.herald("build", self.pub, "--out", self.out, *args, env=self.env, cwd=self.tmp)

    def serve(self):
        self.log = open(self.tmp / "serve.log", "w")
        self.process = subprocess.Popen(
            [self.bin, "serve", self.pub, "--out", self.out, "--listen", f"127.0.0.1:{self.port}"],
            cwd=self.tmp, env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.process.poll() is None, (self.tmp / "serve.log").read_text()
            with contextlib.suppress(OSError):
                if self.head("/healthz")[0] == 200:
                    return self
            time.sleep(0.1)
        raise AssertionError("herald serve did not answer /healthz within 30 s")

    def head(self, path, accept=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request("GET", path, headers={"Accept": accept} if accept else {})
            response = conn.getresponse()
            response.read()
            return response.status, response.getheader("Content-Type"), response.getheader("Vary")
        finally:
            conn.close()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        if self.process:
            self.log.close()


@pytest.fixture
def publication(tmp_path, herald, herald_bin):
    made = []

    def make(language, **kw):
        p = Publication(tmp_path / language, herald, herald_bin, language, **kw)
        made.append(p)
        return p
    yield make
    for p in made:
        p.stop()


def feeds(out):
    """The publication's feeds, a tag's, and the oldest archive page, in both formats."""
    return ["atom.xml", "rss.xml", "tags/news/atom.xml", "archive/1.xml", "archive/1.rss"]


def distinct_colors(png):
    from PIL import Image  # noqa: PLC0415
    with Image.open(png) as image:
        return len(image.convert("RGB").getcolors(maxcolors=1 << 24))


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_feeds_read_as_a_page_in_the_publication_language(publication, browser, tmp_path, language):
    site = publication(language)
    site.build()
    words = labels(language)
    assert (site.out / "feed.xsl").is_file()
    files = feeds(site.out)
    xmllint = subprocess.run(["xmllint", "--noout", str(site.out / "feed.xsl"), *(str(site.out / f) for f in files)],
                             capture_output=True, text=True)
    assert xmllint.returncode == 0, xmllint.stderr
    for rel in files:
        text = (site.out / rel).read_text(encoding="utf-8")
        depth = rel.count("/")
        assert f'<?xml-stylesheet type="text/xsl" href="{"../" * depth}feed.xsl"?>' in text.splitlines()[1]
        # Feed readers see the same feed as before: the instruction is not content.
        parsed = feedparser.parse(str(site.out / rel))
        assert parsed.bozo == 0, f"{rel}: {parsed.get('bozo_exception')}"
        assert parsed.entries

    site.serve()
    for rel, kind in [("atom.xml", "application/atom+xml"), ("rss.xml", "application/rss+xml"),
                      ("archive/1.xml", "application/atom+xml"), ("archive/1.rss", "application/rss+xml"),
                      ("feed.xsl", "application/xslt+xml")]:
        status, content_type, _ = site.head("/" + rel, accept="application/atom+xml, application/rss+xml")
        assert status == 200 and content_type.startswith(kind), f"{rel}: {status} {content_type}"
        if not rel.endswith(".xsl"):
            # A browser gets the feed's page (atom.xml.html), which needs no XSLT.
            status, content_type, vary = site.head("/" + rel, accept=BROWSER_ACCEPT)
            assert content_type.startswith("text/html") and "Accept" in vary.split(", "), f"{rel}: {content_type}"

    # The same page twice: herald serve's HTML page, and feed.xsl applied by Chromium to the
    # feed as a plain static server gives it (application/xml), for browsers that still run XSLT.
    static_port = smtp_servers.free_port()
    serve_static = ("import functools, http.server, sys\n"
                    "H = http.server.SimpleHTTPRequestHandler\n"
                    "H.extensions_map.update({'.xml': 'application/xml', '.rss': 'application/xml'})\n"
                    "http.server.test(HandlerClass=functools.partial(H, directory=sys.argv[2]), port=int(sys.argv[1]),"
                    " bind='127.0.0.1')")
    static = subprocess.Popen(["python3", "-c", serve_static, str(static_port), str(site.out)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while True:
            with contextlib.suppress(OSError):
                http.client.HTTPConnection("127.0.0.1", static_port, timeout=1).connect()
                break
            assert time.monotonic() < deadline, "the static server did not listen"
            time.sleep(0.1)
        for origin in [site.base, f"http://127.0.0.1:{static_port}/"]:
            check_pages(site, browser, tmp_path, language, words, files, origin)
    finally:
        static.terminate()
        static.wait(timeout=10)


def check_pages(site, browser, tmp_path, language, words, files, origin):
    for rel in files:
        parsed = feedparser.parse(str(site.out / rel))
        entries = parsed.entries
        browser.get(origin + rel)
        explanation = browser.find_element("id", "explanation").text
        # Chromium 156 overlays a notice that XSLT is being removed; the page under it is ours.
        browser.execute_script("document.querySelectorAll('xslt-warning-banner').forEach(b => b.remove())")
        assert explanation == words["feed_notice"]
        assert browser.execute_script("return document.documentElement.lang") == language
        assert browser.find_element("css selector", "header .masthead").text == parsed.feed.title
        assert site.title in parsed.feed.title and parsed.feed.title in browser.title
        # Every entry, newest first, its title as the author wrote it ("<" and "&" too) and linked.
        shown = [(a.text, a.get_attribute("href")) for a in browser.find_elements("css selector", "#entries h3 a")]
        written = [(TITLES[language][int(re.search(r"post-(\d+)", e.link).group(1))], e.link) for e in entries]
        assert shown == written, rel
        # The posts are dated in UTC, so the day a reader's own time zone would show is the feed's.
        dates = [t.text for t in browser.find_elements("css selector", "#entries .meta time")]
        assert dates == [time.strftime("%Y-%m-%d", e.published_parsed) for e in entries], rel
        summaries = [p.text for p in browser.find_elements("css selector", "#entries .summary")]
        assert summaries == [f"The summary of post {link.split('post-')[1][0]} & more." for _, link in written]
        # The address to copy is the feed to subscribe to, also from an archive page.
        subscription = (site.base + ("rss.xml" if rel.endswith("rss") else "atom.xml")) if rel.startswith("archive/") \
            else site.base + rel
        assert browser.find_element("id", "address").get_attribute("value") == subscription
        # Every feed page offers the email digest instead.
        link = browser.find_element("id", "subscribe")
        assert link.get_attribute("href") == site.base + "subscribe" and link.text == words["feed_subscribe_email"]
        if rel in ("atom.xml", "rss.xml"):
            stem = f"{language}-{rel}-{'serve' if origin == site.base else 'xslt'}"
            for shot in chromium.screenshots(browser, tmp_path / "screens", stem):
                assert distinct_colors(shot) > 20, f"{shot.name} is (almost) blank"
    button = browser.find_element("id", "copy")
    assert button.text == words["feed_copy"]
    button.click()
    deadline = time.monotonic() + 5
    while button.text != words["feed_copied"] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert button.text == words["feed_copied"]


def test_stylesheet_rebuilds_nothing_and_can_be_turned_off(publication):
    site = publication("zh-CN")
    site.build()
    stamp = lambda: {p: p.stat().st_mtime_ns for p in site.out.rglob("*") if p.is_file()}  # noqa: E731
    before = stamp()
    site.build()
    assert stamp() == before, "a no-change rebuild wrote something"

    yml = site.pub / "herald.yml"
    yml.write_text(yml.read_text().replace("  archive: 2\n", "  archive: 2\n  stylesheet: false\n"))
    site.build()
    assert not (site.out / "feed.xsl").exists()
    for rel in feeds(site.out):
        assert "xml-stylesheet" not in (site.out / rel).read_text(encoding="utf-8")


def test_nginx_example_gives_browsers_the_feeds_as_xml(publication, tmp_path):
    """deploy/nginx-herald.conf serves the output folder itself: a browser must get the
    feeds as XML (or Chromium shows them as text), a feed reader the feed types."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.path.exists(nginx):
        pytest.fail("nginx is needed (scripts/bootstrap installs it)")
    site = publication("en")
    site.build()
    cert, key = smtp_servers.self_signed_cert(tmp_path)
    port, plain = smtp_servers.free_port(), smtp_servers.free_port()
    conf = ((ROOT / "deploy" / "nginx-herald.conf").read_text()
            .replace("/etc/letsencrypt/live/weekly.example.org/fullchain.pem", str(cert))
            .replace("/etc/letsencrypt/live/weekly.example.org/privkey.pem", str(key))
            .replace("/etc/herald/nginx-proxy.conf", str(ROOT / "deploy" / "nginx-proxy.conf"))
            .replace("/var/log/nginx/", f"{tmp_path}/")
            .replace("/var/www/herald/weekly", str(site.out))
            .replace("listen 443 ssl http2;", f"listen 127.0.0.1:{port} ssl;").replace("listen [::]:443 ssl http2;", "")
            .replace("listen 80;", f"listen 127.0.0.1:{plain};").replace("listen [::]:80;", ""))
    (tmp_path / "site.conf").write_text(conf)
    # Workers as this user: pytest's folders are private to it (as root nginx would use nobody).
    user = f"user {pwd.getpwuid(os.getuid()).pw_name};\n" if os.getuid() == 0 else ""
    (tmp_path / "nginx.conf").write_text(f"""{user}pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log;
events {{}}
http {{ include /etc/nginx/mime.types; access_log off; include {tmp_path}/site.conf; }}
""")
    subprocess.run([nginx, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")], check=True)
    try:
        context = ssl._create_unverified_context()  # a self-signed certificate on 127.0.0.1

        def get(path, accept):
            conn = http.client.HTTPSConnection("127.0.0.1", port, timeout=10, context=context)
            deadline = time.monotonic() + 10
            while True:
                try:
                    conn.request("GET", path, headers={"Accept": accept, "Host": "weekly.example.org"})
                    break
                except ConnectionRefusedError:
                    assert time.monotonic() < deadline, "nginx did not listen"
                    time.sleep(0.1)
            response = conn.getresponse()
            body = response.read()
            conn.close()
            return response.status, response.getheader("Content-Type"), body

        for rel, kind in [("atom.xml", "application/atom+xml"), ("rss.xml", "application/rss+xml")]:
            status, content_type, body = get("/" + rel, "application/atom+xml, application/rss+xml")
            assert status == 200 and content_type.startswith(kind), f"{rel}: {content_type}"
            status, content_type, browser_body = get("/" + rel, BROWSER_ACCEPT)
            assert status == 200 and content_type.startswith("application/xml"), f"{rel}: {content_type}"
            assert browser_body == body == (site.out / rel).read_bytes()
        assert get("/feed.xsl", BROWSER_ACCEPT)[1].startswith("application/xslt+xml")
        # The internal location is not a second address for the feeds.
        assert get("/_herald_feed_page/atom.xml", BROWSER_ACCEPT)[0] == 404
    finally:
        subprocess.run([nginx, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-s", "stop"], check=False)
