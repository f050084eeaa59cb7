"""WebSub: with `feeds.websub_hub`, every feed names the hub, and a build that
changed feeds POSTs `hub.mode=publish&hub.url=FEED` to it for each changed feed only.
The hub is a real HTTP server on 127.0.0.1 that records what it is sent; a hub that fails
or is not there costs a warning, never the build."""
import http.server
import json
import re
import socket
import threading
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs

import feedparser
import pytest

from test_feeds import build, post, snapshot, write_post, write_publication

ATOM = "{http://www.w3.org/2005/Atom}"


class Hub:
    """An HTTP server that answers every POST with `status` and records its form."""

    def __init__(self, status=204):
        self.status = status
        self.pings = []
        hub = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                hub.pings.append((self.headers.get("Content-Type"), parse_qs(body, strict_parsing=True)))
                self.send_response(hub.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hub"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def feeds(self):
        """The feed URLs pinged, each ping checked for its form."""
        urls = []
        for content_type, form in self.pings:
            assert content_type == "application/x-www-form-urlencoded"
            assert form["hub.mode"] == ["publish"]
            assert len(form["hub.url"]) == 1
            urls.append(form["hub.url"][0])
        return urls

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hub():
    h = Hub()
    yield h
    h.close()


def own_url(path):
    """The URL a feed file gives for itself: rel=self in Atom and RSS, feed_url in JSON."""
    if path.suffix == ".json":
        return json.loads(path.read_text(encoding="utf-8"))["feed_url"]
    root = ET.parse(path).getroot()
    links = root.iter(f"{ATOM}link")
    return next(link.get("href") for link in links if link.get("rel") == "self")


def feed_urls(out, paths=None):
    paths = paths if paths is not None else [p for p in out.rglob("*") if p.name in ("atom.xml", "rss.xml", "feed.json")]
    return sorted(own_url(out / p) for p in paths)


def publication(tmp_path, hub_url):
    posts = [post(1, tags=["Layotto"]), post(2, tags=["MOSN"]), post(3, tags=["MOSN", "Layotto"])]
    return write_publication(tmp_path / "pub", posts, extra=f"  websub_hub: {hub_url}\n"), posts


def test_every_feed_names_the_hub(herald, tmp_path, hub):
    pub, _ = publication(tmp_path, hub.url)
    out = tmp_path / "out"
    build(herald, pub, out)
    files = [p for p in out.rglob("*") if p.name in ("atom.xml", "rss.xml", "feed.json")]
    assert len(files) == 3 * 4  # the publication's, its category's and two tags' feeds
    for f in files:
        if f.suffix == ".json":
            assert json.loads(f.read_text(encoding="utf-8"))["hubs"] == [{"type": "WebSub", "url": hub.url}]
            continue
        parsed = feedparser.parse(str(f))
        assert not parsed.bozo, parsed.bozo_exception
        hubs = [link["href"] for link in parsed.feed.links if link.get("rel") == "hub"]
        assert hubs == [hub.url], f"{f}: {parsed.feed.links}"


def test_pings_every_feed_then_none_then_only_the_changed_ones(herald, tmp_path, hub):
    pub, posts = publication(tmp_path, hub.url)
    out = tmp_path / "out"
    build(herald, pub, out)
    assert sorted(hub.feeds()) == feed_urls(out)

    hub.pings.clear()
    build(herald, pub, out)
    assert hub.feeds() == []

    # Post 1 is tagged Layotto only: its tag feed, the category's and the publication's
    # change; the MOSN feeds do not.
    before = snapshot(out)
    write_post(pub, dict(posts[0], body="正文改了。\n"))
    hub.pings.clear()
    build(herald, pub, out)
    after = snapshot(out)
    changed = [p for p in after if before.get(p) != after[p] and p.rsplit("/", 1)[-1] in ("atom.xml", "rss.xml", "feed.json")]
    assert len(changed) == 3 * 3, changed
    assert not any("mosn" in p.lower() for p in changed)
    assert sorted(hub.feeds()) == feed_urls(out, changed)


@pytest.mark.parametrize("broken", ["500", "down"])
def test_a_failing_hub_is_a_warning_and_the_build_succeeds(herald, tmp_path, broken):
    if broken == "500":
        failing = Hub(status=500)
        url = failing.url
    else:
        # A port nothing listens on: bound, then closed.
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            url = f"http://127.0.0.1:{s.getsockname()[1]}/hub"
        failing = None
    try:
        pub, _ = publication(tmp_path, url)
        out = tmp_path / "out"
        proc = build(herald, pub, out, check=False)
        assert proc.returncode == 0, proc.stderr
        assert (out / "atom.xml").exists()
        assert re.search(r"warning: WebSub hub .*(answered 500|could not be reached)", proc.stderr), proc.stderr
        if failing:
            # Each changed feed was still offered to the hub.
            assert sorted(failing.feeds()) == feed_urls(out)
    finally:
        if failing:
            failing.close()


def test_herald_run_pings_too_and_a_down_hub_does_not_stop_it(herald, tmp_path, hub):
    # `herald run` (the timer's command) builds the same way; with no smtp.url it stops there.
    pub, posts = publication(tmp_path, hub.url)
    out = tmp_path / "out"
    proc = herald("run", pub, "--out", out, "--state-dir", tmp_path / "state")
    assert sorted(hub.feeds()) == feed_urls(out)
    assert "warning" not in proc.stderr
    hub.close()
    write_post(pub, dict(posts[1], body="又改了。\n"))
    proc = herald("run", pub, "--out", out, "--state-dir", tmp_path / "state", check=False)
    assert proc.returncode == 0, proc.stderr
    assert "warning: WebSub hub" in proc.stderr and "could not be reached" in proc.stderr
