"""A publication whose posts are another site's feed (`source:`), against feeds made by
real generators in the test run (Hugo's RSS, Jekyll's jekyll-feed Atom, Pelican's Atom
and RSS, Herald's own JSON Feed), served from 127.0.0.1 by a server that counts requests
and honours conditional GETs; and against hostile and broken feeds. The digest holds
exactly the generator's new entries; an unchanged feed costs one 304 and sends nothing;
one new post makes a digest of exactly that post; a bad feed sends no mail at all. With
`feeds:`, `build` republishes the feed's entries in Herald's own feeds, read back by
feedparser, feedparser-rs and xmllint; a bad feed leaves the feeds already written alone."""
import datetime
import email
import email.policy
import html
import pathlib
import re
import shutil
import subprocess
import sys

import feedparser
import feedparser_rs
import pytest

import smtp_servers
from feed_server import FeedServer

SECRET = {"HERALD_UNSUBSCRIBE_SECRET": "peer-test-secret-0123456789abcdef"}
NOW = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
READERS = ["ana@example.com", "bo@example.com"]


def post(slug, title, days_ago, body="Some text of the post."):
    return {"slug": slug, "title": title, "date": NOW - datetime.timedelta(days=days_ago, hours=1), "body": body}


# Three new posts inside digest.first_window (7 days) and one older that stays out.
POSTS = [post("apples", "Apples & pears", 1), post("bridges", "Bridges of Königsberg (7)", 2),
         post("cellar", "Cellar notes", 4), post("old-news", "Old news", 40)]
NEW = post("dawn", "Dawn chorus", 0)


def need(tool):
    if shutil.which(tool) is None:
        pytest.fail(f"{tool} is needed (scripts/bootstrap installs it)")


# Each generator writes its site into `site` and builds it into `out`; returns the feed's
# path under `out`, and the URL each post gets.
def hugo(site, out, posts):
    need("hugo")
    (site / "content" / "posts").mkdir(parents=True, exist_ok=True)
    (site / "hugo.toml").write_text('baseURL = "https://hugo.example.org/"\ntitle = "Hugo Peer"\nlanguageCode = "en-us"\n')
    for p in posts:
        (site / "content" / "posts" / f"{p['slug']}.md").write_text(
            f"---\ntitle: {yaml_str(p['title'])}\ndate: {p['date'].isoformat()}\n---\n{p['body']}\n")
    subprocess.run(["hugo", "--quiet", "--source", site, "--destination", out], check=True, capture_output=True)
    return "posts/index.xml", lambda p: f"https://hugo.example.org/posts/{p['slug']}/"


def jekyll(site, out, posts):
    need("jekyll")
    (site / "_posts").mkdir(parents=True, exist_ok=True)
    (site / "_config.yml").write_text('title: Jekyll Peer\nurl: "https://jekyll.example.org"\nplugins:\n  - jekyll-feed\n')
    for p in posts:
        day = p["date"].strftime("%Y-%m-%d")
        (site / "_posts" / f"{day}-{p['slug']}.md").write_text(
            f"---\ntitle: {yaml_str(p['title'])}\ndate: {p['date'].strftime('%Y-%m-%d %H:%M:%S +0000')}\n---\n{p['body']}\n")
    subprocess.run(["jekyll", "build", "--quiet", "--source", site, "--destination", out], check=True, capture_output=True)
    return "feed.xml", lambda p: f"https://jekyll.example.org/{p['date'].strftime('%Y/%m/%d')}/{p['slug']}.html"


def pelican(kind):
    def generate(site, out, posts):
        (site / "content").mkdir(parents=True, exist_ok=True)
        (site / "pelicanconf.py").write_text(
            "SITENAME = 'Pelican Peer'\nSITEURL = 'https://pelican.example.org'\nFEED_DOMAIN = SITEURL\nTIMEZONE = 'UTC'\n"
            "DEFAULT_LANG = 'en'\nFEED_ALL_ATOM = 'feeds/all.atom.xml'\nFEED_ALL_RSS = 'feeds/all.rss.xml'\n"
            "CATEGORY_FEED_ATOM = None\nAUTHOR_FEED_ATOM = None\nAUTHOR_FEED_RSS = None\nTRANSLATION_FEED_ATOM = None\n"
            "FEED_MAX_ITEMS = 20\nRSS_FEED_SUMMARY_ONLY = False\n")
        for p in posts:
            (site / "content" / f"{p['slug']}.rst").write_text(
                f"{p['title']}\n{'#' * (len(p['title']) + 4)}\n\n:date: {p['date'].strftime('%Y-%m-%d %H:%M:%S')}\n"
                f":slug: {p['slug']}\n\n{p['body']}\n")
        subprocess.run([sys.executable, "-m", "pelican", site / "content", "-o", out, "-s", site / "pelicanconf.py",
                        "--delete-output-directory", "-q"], check=True, capture_output=True)
        return f"feeds/all.{kind}.xml", lambda p: f"https://pelican.example.org/{p['slug']}.html"
    return generate


def herald_json(herald):
    def generate(site, out, posts):
        (site / "posts").mkdir(parents=True, exist_ok=True)
        (site / "herald.yml").write_text("title: Herald Peer\nbase_url: https://herald.example.org/\npermalink: /posts/:slug/\n")
        for p in posts:
            (site / "posts" / f"{p['slug']}.md").write_text(
                f"---\ntitle: {yaml_str(p['title'])}\nslug: {p['slug']}\ndate: {p['date'].isoformat()}\n---\n{p['body']}\n")
        herald("build", site, "--out", out, "--state-dir", site / "build-state")
        feed = min(pathlib.Path(out).rglob("feed.json"), key=lambda f: len(f.parts))
        return str(feed.relative_to(out)), lambda p: f"https://herald.example.org/posts/{p['slug']}/"
    return generate


def yaml_str(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def publication(tmp_path, source, smtp_port, name="fed", digest="", feeds=""):
    pub = tmp_path / name
    pub.mkdir()
    (pub / "herald.yml").write_text(f"""title: Fed Digest
base_url: https://digest.example.org/
source: {source}
{feeds}digest:
  from: digest@digest.example.org
  unsubscribe_url: https://digest.example.org/unsubscribe
{digest}smtp:
  url: smtp://127.0.0.1:{smtp_port}
  retry_delay: 0
""")
    return pub


def subscribe(herald, pub):
    csv = pub.parent / "readers.csv"
    csv.write_text("address,name\n" + "".join(f"{a},Reader\n" for a in READERS))
    herald("subscribers", pub, "import", csv, "--state-dir", pub / "state")


def send(herald, pub, check=False):
    return herald("send", pub, "--state-dir", pub / "state", check=check, env=SECRET)


def html_part(message):
    for part in message.walk():
        if part.get_content_type() == "text/html":
            return part.get_content()
    raise AssertionError("no HTML part")


def posts_in(page):
    """(link, ISO date, title) of each post heading in a digest's HTML, in order."""
    found = re.findall(r'<h2[^>]*><a href="([^"]+)"[^>]*>(.*?)</a></h2>\s*<p[^>]*><time datetime="([^"]+)"', page, re.S)
    return [(html.unescape(link), day, html.unescape(title)) for link, title, day in found]


def expected(posts, url_of):
    newest_first = sorted(posts, key=lambda p: p["date"], reverse=True)
    return [(url_of(p), p["date"].strftime("%Y-%m-%d"), p["title"]) for p in newest_first]


GENERATORS = ["hugo", "jekyll", "pelican-atom", "pelican-rss", "herald-json"]


@pytest.fixture
def generator(request, herald):
    return {"hugo": hugo, "jekyll": jekyll, "pelican-atom": pelican("atom"), "pelican-rss": pelican("rss"),
            "herald-json": herald_json(herald)}[request.param]


@pytest.fixture
def feed_server():
    servers = []

    def start(root, tls=None):
        server = FeedServer(root, tls=tls)
        servers.append(server)
        return server
    yield start
    for server in servers:
        server.stop()


@pytest.mark.parametrize("generator", GENERATORS, indirect=True)
def test_real_generators_new_entries_once_and_a_304_when_nothing_changed(
        generator, herald, tmp_path, smtp_server, feed_server):
    site, out = tmp_path / "site", tmp_path / "out"
    path, url_of = generator(site, out, POSTS)
    server = feed_server(out)
    recorder = smtp_servers.Recorder()
    smtp = smtp_server(recorder)
    pub = publication(tmp_path, server.url(path), smtp.port)
    herald("check", pub, "--state-dir", pub / "state", env=SECRET)

    # The preview: exactly the three new posts, newest first, with the generator's links and dates.
    preview = tmp_path / "preview"
    herald("digest", pub, "--out", preview, "--state-dir", pub / "state", env=SECRET)
    page = (preview / "digest.html").read_text(encoding="utf-8")
    assert posts_in(page) == expected(POSTS[:3], url_of)
    assert "Some text of the post." in page

    subscribe(herald, pub)
    first = send(herald, pub, check=True)
    assert "digest #1" in first.stdout
    assert sorted(recorder.recipients()) == sorted(READERS)
    for _, message in recorder.accepted:
        assert posts_in(html_part(message)) == expected(POSTS[:3], url_of)

    # Nothing new: one conditional request, answered 304, and no mail.
    before = len(server.requests())
    again = send(herald, pub, check=True)
    assert "nothing to send" in (again.stdout + again.stderr)
    assert server.requests()[before:] == [("/" + path, 304)]
    assert len(recorder.accepted) == len(READERS)

    # One new post: the next digest holds exactly it.
    generator(site, out, POSTS + [NEW])
    third = send(herald, pub, check=True)
    assert "digest #2" in third.stdout
    latest = [m for _, m in recorder.accepted[len(READERS):]]
    assert len(latest) == len(READERS)
    for message in latest:
        assert posts_in(html_part(message)) == expected([NEW], url_of)


def test_an_entry_already_sent_is_never_sent_again_even_redated_or_gone_and_back(
        herald, tmp_path, smtp_server, feed_server):
    root = tmp_path / "www"
    root.mkdir()

    def write(items):
        body = "".join(
            f"<item><title>{t}</title><link>https://r.example.org/{g}/</link><guid>{g}</guid>"
            f"<pubDate>{d.strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate><description>{t} text</description></item>"
            for g, t, d in items)
        (root / "feed.xml").write_text(f'<rss version="2.0"><channel><title>R</title><link>https://r.example.org/</link>'
                                       f'{body}</channel></rss>')
    day = datetime.timedelta(days=1)
    write([("a", "A", NOW - day), ("b", "B", NOW - 2 * day)])
    server = feed_server(root)
    recorder = smtp_servers.Recorder()
    smtp = smtp_server(recorder)
    pub = publication(tmp_path, server.url("feed.xml"), smtp.port)
    subscribe(herald, pub)
    send(herald, pub, check=True)
    assert len(recorder.accepted) == 2
    # "a" redated to now, "b" gone: nothing new.
    write([("a", "A", NOW)])
    assert "nothing to send" in send(herald, pub, check=True).stdout + send(herald, pub, check=True).stderr
    # "b" back, and "c" without a date: only "c" is new.
    (root / "feed.xml").write_text((root / "feed.xml").read_text().replace(
        "</channel>", "<item><title>B</title><guid>b</guid></item><item><title>C</title><guid>c</guid>"
        "<description>C text</description></item></channel>"))
    send(herald, pub, check=True)
    latest = [m for _, m in recorder.accepted[2:]]
    assert len(latest) == 2
    assert [t for _, _, t in posts_in(html_part(latest[0]))] == ["C"]


def billion_laughs():
    doc = '<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY lol "lol">\n'
    for n in range(1, 10):
        doc += f'<!ENTITY lol{n} "' + f"&lol{'' if n == 1 else n - 1};" * 10 + '">\n'
    return doc + ']>\n<rss version="2.0"><channel><title>&lol9;</title></channel></rss>'


HOSTILE = {
    "not-xml.xml": ("Hello, I am plain text.", 65, "not a feed"),
    "truncated.xml": ('<rss version="2.0"><channel><title>t</title><item><title>cut', 65, "XML is broken"),
    "laughs.xml": (billion_laughs(), 65, "entities"),
    "page.html": ("<!DOCTYPE html><html><head><title>Blog</title></head><body><p>Hi</p></body></html>", 65, "HTML page"),
    "missing.xml": (None, 69, "HTTP 404"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_or_broken_feeds_give_a_clear_error_and_no_mail(name, herald, tmp_path, smtp_server, feed_server):
    text, status, words = HOSTILE[name]
    root = tmp_path / "www"
    root.mkdir()
    if text is not None:
        (root / name).write_text(text)
    server = feed_server(root)
    recorder = smtp_servers.Recorder()
    pub = publication(tmp_path, server.url(name), smtp_server(recorder).port)
    subscribe(herald, pub)
    result = send(herald, pub)
    assert result.returncode == status, result.stderr
    assert words in result.stderr
    assert server.url(name) in result.stderr
    preview = herald("digest", pub, "--out", tmp_path / "p", "--state-dir", pub / "state", check=False, env=SECRET)
    assert preview.returncode == status and words in preview.stderr
    assert recorder.accepted == []


def test_a_50_mb_feed_a_redirect_loop_and_a_silent_server_send_nothing(herald, tmp_path, smtp_server, feed_server):
    root = tmp_path / "www"
    root.mkdir()
    item = "<item><title>x</title><description>" + "y" * 1000 + "</description></item>"
    (root / "big.xml").write_text('<rss version="2.0"><channel><title>t</title>' + item * 50_000 + "</channel></rss>")
    server = feed_server(root)
    recorder = smtp_servers.Recorder()
    port = smtp_server(recorder).port
    cases = [("big.xml", "big.xml", 65, "larger than 16 MiB"), ("loop", "loop", 76, "redirects"),
             ("silent", "{url: '%s', timeout: 3}", 75, "no complete answer within 3 s")]
    for n, (path, source, status, words) in enumerate(cases):
        written = server.url(path) if source == path else source % server.url(path)
        pub = publication(tmp_path, written, port, name=f"fed{n}")
        subscribe(herald, pub)
        result = send(herald, pub)
        assert result.returncode == status, (path, result.stderr)
        assert words in result.stderr, (path, result.stderr)
    assert recorder.accepted == []


def test_init_feed_writes_a_config_that_passes_check(herald, tmp_path, feed_server):
    site, out = tmp_path / "site", tmp_path / "out"
    path, _ = hugo(site, out, POSTS)
    server = feed_server(out)
    folder = tmp_path / "new"
    result = herald("init", "--feed", server.url(path), "news", "--out", folder, "--timezone", "Europe/Berlin")
    assert "herald.yml" in result.stdout
    text = (folder / "herald.yml").read_text()
    assert "title: \"Posts on Hugo Peer\"" in text or "title: " in text
    assert f"source: \"{server.url(path)}\"" in text
    assert "base_url: \"https://hugo.example.org/posts/\"" in text
    assert "language: en-us" in text
    herald("check", folder, "--state-dir", tmp_path / "state", env=SECRET)
    refused = herald("init", "--feed", server.url("nothing.xml"), "x", "--out", tmp_path / "x", check=False)
    assert refused.returncode == 69 and "HTTP 404" in refused.stderr
    assert not (tmp_path / "x" / "herald.yml").exists()


def test_a_certificate_nobody_vouches_for_is_a_tls_error_and_no_mail(herald, tmp_path, smtp_server, feed_server):
    root = tmp_path / "www"
    root.mkdir()
    (root / "feed.xml").write_text('<rss version="2.0"><channel><title>t</title><item><title>A</title>'
                                   '<guid>a</guid></item></channel></rss>')
    server = feed_server(root, tls=smtp_servers.self_signed_cert(tmp_path))
    recorder = smtp_servers.Recorder()
    pub = publication(tmp_path, server.url("feed.xml"), smtp_server(recorder).port)
    subscribe(herald, pub)
    result = send(herald, pub)
    assert result.returncode == 76, result.stderr
    assert "TLS failed" in result.stderr
    assert recorder.accepted == []


def point_smtp_at(pub, port):
    """Rewrites the publication's smtp.url to a server now listening on `port`."""
    (pub / "herald.yml").write_text(re.sub(r"127\.0\.0\.1:\d+\n  retry", f"127.0.0.1:{port}\n  retry",
                                           (pub / "herald.yml").read_text()))


def one_item_feed(tmp_path, title, slug, guid=None):
    """A folder holding feed.xml: RSS with one item from yesterday, titled `title` at /`slug`/."""
    root = tmp_path / "www"
    root.mkdir()
    day = (NOW - datetime.timedelta(days=1)).strftime("%a, %d %b %Y %H:%M:%S +0000")
    guid_element = f"<guid>{guid}</guid>" if guid else ""
    (root / "feed.xml").write_text(f'<rss version="2.0"><channel><title>t</title><link>https://r.example.org/</link>'
                                   f'<item><title>{title}</title><link>https://r.example.org/{slug}/</link>{guid_element}'
                                   f'<pubDate>{day}</pubDate><description>{title} text</description></item></channel></rss>')
    return root


def test_build_has_nothing_to_build_and_run_sends_the_feed(herald, tmp_path, smtp_server, feed_server):
    root = one_item_feed(tmp_path, "A", "a")
    server = feed_server(root)
    recorder = smtp_servers.Recorder()
    pub = publication(tmp_path, server.url("feed.xml"), smtp_server(recorder).port, digest="  schedule: daily 00:00\n")
    subscribe(herald, pub)
    built = herald("build", pub, "--out", tmp_path / "out", "--state-dir", pub / "state")
    assert "nothing to build" in built.stdout
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.xml"))
    ran = herald("run", pub, "--out", tmp_path / "out", "--state-dir", pub / "state", env=SECRET, check=False)
    assert ran.returncode == 0, ran.stderr
    assert "nothing to build" in ran.stdout
    assert sorted(recorder.recipients()) == sorted(READERS)


def test_a_digest_left_unfinished_is_finished_from_the_kept_answer_when_the_feed_is_gone(
        herald, tmp_path, smtp_server, feed_server):
    root = one_item_feed(tmp_path, "Kept", "k")
    server = feed_server(root)
    pub = publication(tmp_path, server.url("feed.xml"), smtp_servers.free_port())  # nobody listens there
    subscribe(herald, pub)
    failed = send(herald, pub)
    assert failed.returncode != 0 and "digest #1" in failed.stdout + failed.stderr
    (root / "feed.xml").unlink()
    recorder = smtp_servers.Recorder()
    port = smtp_server(recorder).port
    point_smtp_at(pub, port)
    finished = send(herald, pub)
    assert sorted(recorder.recipients()) == sorted(READERS), finished.stderr
    assert [t for _, _, t in posts_in(html_part(recorder.accepted[0][1]))] == ["Kept"]
    # The feed is still gone: no new digest is made from nothing.
    assert finished.returncode == 69 and "HTTP 404" in finished.stderr


HERALD_FEEDS = ["atom.xml", "rss.xml", "feed.json"]


def herald_feeds(out):
    """Every file the build wrote under `out` (feeds, their pages, the stylesheet), as bytes."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(pathlib.Path(out).rglob("*")) if p.is_file()}


@pytest.mark.parametrize("generator", ["hugo", "jekyll", "pelican-atom"], indirect=True)
def test_build_with_feeds_republishes_exactly_the_source_entries(generator, herald, tmp_path, feed_server):
    need("xmllint")
    site, www, out = tmp_path / "site", tmp_path / "www", tmp_path / "out"
    path, url_of = generator(site, www, POSTS)
    server = feed_server(www)
    pub = publication(tmp_path, server.url(path), smtp_servers.free_port(), feeds="feeds:\n  entries: 0\n")
    source = feedparser.parse((www / path).read_bytes())
    assert not source.bozo, source.get("bozo_exception")

    built = herald("build", pub, "--out", out, "--state-dir", pub / "state")
    assert "nothing to build" not in built.stdout
    for name in HERALD_FEEDS:
        assert (out / name).is_file(), built.stdout
        assert (out / (name + ".html")).is_file()
    lint = subprocess.run(["xmllint", "--noout", out / "atom.xml", out / "rss.xml"], capture_output=True, text=True)
    assert lint.returncode == 0, lint.stderr
    newest_first = sorted(POSTS, key=lambda p: p["date"], reverse=True)
    links = [url_of(p) for p in newest_first]
    titles = [p["title"] for p in newest_first]
    # The source's own ids, where they are IRIs (all three generators write links or tag: URIs).
    ids = {e.link: e.id for e in source.entries}
    for name in ("atom.xml", "rss.xml"):
        ours = feedparser.parse((out / name).read_bytes())
        assert not ours.bozo, (name, ours.get("bozo_exception"))
        assert [e.link for e in ours.entries] == links, name
        # A title with `&` is HTML in Atom (type="html"), which feedparser hands out as written.
        assert [html.unescape(e.title) if e.title_detail.type == "text/html" else e.title
                for e in ours.entries] == titles, name
        assert [e.id for e in ours.entries] == [ids[link] for link in links], name
    json_feed = feedparser_rs.parse((out / "feed.json").read_bytes())
    assert not json_feed.bozo, json_feed.bozo_exception
    assert [e.link for e in json_feed.entries] == links
    assert [e.id for e in json_feed.entries] == [ids[link] for link in links]

    # The feed unchanged: one conditional request answered 304, and the same bytes.
    written = herald_feeds(out)
    before = len(server.requests())
    herald("build", pub, "--out", out, "--state-dir", pub / "state")
    assert server.requests()[before:] == [("/" + path, 304)]
    assert herald_feeds(out) == written

    # A broken feed, then a vanished one: a clear error and its exit status, the feeds left as they were.
    (www / path).write_text('<rss version="2.0"><channel><title>t</title><item><title>cut')
    broken = herald("build", pub, "--out", out, "--state-dir", pub / "state", check=False)
    assert broken.returncode == 65, broken.stderr
    assert "XML is broken" in broken.stderr and server.url(path) in broken.stderr
    assert herald_feeds(out) == written
    (www / path).unlink()
    gone = herald("build", pub, "--out", out, "--state-dir", pub / "state", check=False)
    assert gone.returncode == 69 and "HTTP 404" in gone.stderr, gone.stderr
    assert herald_feeds(out) == written


def test_run_with_feeds_republishes_the_feed_then_sends_its_digest(herald, tmp_path, smtp_server, feed_server):
    root = one_item_feed(tmp_path, "A", "a", guid="urn:r:a")
    server = feed_server(root)
    recorder = smtp_servers.Recorder()
    pub = publication(tmp_path, server.url("feed.xml"), smtp_server(recorder).port, digest="  schedule: daily 00:00\n",
                      feeds="feeds:\n  json: false\n")
    subscribe(herald, pub)
    ran = herald("run", pub, "--out", tmp_path / "out", "--state-dir", pub / "state", env=SECRET, check=False)
    assert ran.returncode == 0, ran.stderr
    assert "nothing to build" not in ran.stdout
    atom = feedparser.parse((tmp_path / "out" / "atom.xml").read_bytes())
    assert [(e.id, e.link) for e in atom.entries] == [("urn:r:a", "https://r.example.org/a/")]
    assert not (tmp_path / "out" / "feed.json").exists()
    assert sorted(recorder.recipients()) == sorted(READERS)
    # The build fetched the feed; the send asked again and was told it had not changed.
    assert server.requests() == [("/feed.xml", 200), ("/feed.xml", 304)]


def test_run_with_feeds_and_the_feed_gone_keeps_the_feeds_and_still_finishes_an_unfinished_digest(
        herald, tmp_path, smtp_server, feed_server):
    root = one_item_feed(tmp_path, "Kept", "k")
    server = feed_server(root)
    out = tmp_path / "out"
    pub = publication(tmp_path, server.url("feed.xml"), smtp_servers.free_port(), feeds="feeds: {}\n")  # nobody listens
    subscribe(herald, pub)
    herald("build", pub, "--out", out, "--state-dir", pub / "state")
    written = {name: data for name, data in herald_feeds(out).items() if name.split(".")[0] in ("atom", "rss", "feed")}
    assert "atom.xml" in written and "rss.xml.html" in written
    failed = send(herald, pub)
    assert failed.returncode != 0 and "digest #1" in failed.stdout + failed.stderr
    (root / "feed.xml").unlink()
    recorder = smtp_servers.Recorder()
    port = smtp_server(recorder).port
    point_smtp_at(pub, port)
    ran = herald("run", pub, "--out", out, "--state-dir", pub / "state", env=SECRET, check=False)
    assert ran.returncode == 69 and "HTTP 404" in ran.stderr, ran.stderr
    assert sorted(recorder.recipients()) == sorted(READERS)
    # The config changed (a new fingerprint), but the feed could not be read: no feed was
    # rewritten (the digest's archive pages beside them are the send's).
    assert {name: herald_feeds(out)[name] for name in written} == written


def loads_libcurl(result):
    """Whether the run's dynamic loader (LD_DEBUG=libs) opened libcurl."""
    return "libcurl.so.4" in result.stderr


def test_libcurl_is_loaded_only_by_a_run_that_connects(herald, tmp_path, smtp_server, feed_server):
    # libcurl is opened on first use (Sources/CCurl): a preview of a local feed never loads
    # it, fetching over HTTP or sending does, and both work as when it was linked.
    root = one_item_feed(tmp_path, "Local", "local")
    recorder = smtp_servers.Recorder()
    port = smtp_server(recorder).port
    debug = dict(SECRET, LD_DEBUG="libs")
    local = publication(tmp_path, f"file:{root / 'feed.xml'}", port, name="local")
    preview = herald("digest", local, "--out", tmp_path / "p1", "--state-dir", local / "state", env=debug)
    assert not loads_libcurl(preview), preview.stderr[-2000:]
    assert "Local" in "".join(p.read_text() for p in (tmp_path / "p1").rglob("*") if p.is_file())
    assert not loads_libcurl(herald("--version", env=debug))

    remote = publication(tmp_path, feed_server(root).url("feed.xml"), port, name="remote")
    fetched = herald("digest", remote, "--out", tmp_path / "p2", "--state-dir", remote / "state", env=debug)
    assert loads_libcurl(fetched)
    assert "Local" in "".join(p.read_text() for p in (tmp_path / "p2").rglob("*") if p.is_file())

    subscribe(herald, local)
    sent = herald("send", local, "--state-dir", local / "state", env=debug)
    assert loads_libcurl(sent)
    assert sorted(recorder.recipients()) == sorted(READERS)
