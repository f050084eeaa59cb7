"""The whole site, as its maintainer publishes it: a two-language Hugo site (fixtures/hugo/
whole-site: zh at the root, en under /en/, page bundles, a bigger section of undated pages).

`herald init --hugo` without --language or --section writes one publication per language of
the section with dated pages; `check` passes; `build --out DIR` puts each language's feeds at
its section's path and Hugo's `index.xml` where Hugo has them, every item's guid and link the
permalink Hugo gives (its own public/**/index.xml and `hugo list all` are the reference);
`serve` mounts both publications at their paths. Hostile `path:` values and two publications
on one path are configuration errors (exit 78) that name what to fix."""
import csv
import io
import os
import pathlib
import re
import shutil
import subprocess
import time
import urllib.request
from urllib.parse import unquote

import feedparser

import smtp_servers

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "Tests" / "peers" / "fixtures" / "hugo" / "whole-site"
BASE = "https://site.example.org/"
EX_CONFIG = 78
SECRET = "whole-site-secret-0123456789abcdef"


def site_copy(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(FIXTURE, site)
    return site


def hugo_build(site):
    proc = subprocess.run(["hugo", "--quiet", "--source", str(site)], capture_output=True, text=True, cwd=site)
    assert proc.returncode == 0, proc.stderr
    return site / "public"


ZERO_DATE = "0001-01-01T00:00:00Z"


def hugo_rows(site):
    proc = subprocess.run(["hugo", "list", "all", "--source", str(site)], capture_output=True, text=True, cwd=site)
    assert proc.returncode == 0, proc.stderr
    return list(csv.DictReader(io.StringIO(proc.stdout)))


def hugo_permalinks(site, path):
    """Published, dated pages whose permalink is under `path` (`blog/`, `en/blog/`), from
    `hugo list all`: a page's language is where Hugo puts it (translated.en.md in the zh
    folder is English). The page without front matter Hugo lists with no date; Herald leaves
    it out with a warning."""
    return sorted(r["permalink"] for r in hugo_rows(site)
                  if r["permalink"].startswith(BASE + path) and r["draft"] == "false" and r["date"] != ZERO_DATE)


def items(path):
    feed = feedparser.parse(path.read_bytes())
    assert not feed.bozo, (path, feed.bozo_exception)
    return feed


def guids(feed):
    return sorted(e.id for e in feed.entries)


def test_init_check_build_puts_each_language_at_its_path_and_hugos_feeds_where_hugo_had_them(herald, tmp_path):
    site = site_copy(tmp_path)
    proc = herald("init", "--hugo", "site", cwd=tmp_path)
    # The section with dated pages, though projects has more pages; and it says so.
    assert "section blog" in proc.stdout and "projects (0 dated" in proc.stdout, proc.stdout
    # translated.en.md in the zh folder is counted as English, as Hugo has it.
    assert "(zh 6, en 3)" in proc.stdout, proc.stdout
    zh, en = tmp_path / "feeds" / "site-zh", tmp_path / "feeds" / "site-en"
    assert (zh / "herald.yml").is_file() and (en / "herald.yml").is_file(), proc.stdout
    assert "timezone" in (zh / "herald.yml").read_text(encoding="utf-8")
    checked = herald("check", zh, en, cwd=tmp_path)
    assert "5 published" in checked.stdout.splitlines()[0], checked.stdout
    assert "site-en: 3 posts, 3 published" in checked.stdout, checked.stdout
    # The page without front matter is no error: a warning naming it.
    assert "notes/index.md" in checked.stderr, checked.stderr

    public = hugo_build(site)
    out = tmp_path / "www"
    herald("build", zh, en, "--out", out, cwd=tmp_path)

    # Each language's own feeds at its section's path, every link Hugo's permalink.
    for path in ["blog", "en/blog"]:
        atom = items(out / path / "atom.xml")
        assert atom.feed.id == BASE + path + "/atom.xml" or any(
            l.href == BASE + path + "/atom.xml" for l in atom.feed.links), atom.feed
        assert sorted(e.link for e in atom.entries) == hugo_permalinks(site, path + "/")
        assert (out / path / "rss.xml").is_file() and (out / path / "feed.xsl").is_file()
    assert not (out / "atom.xml").exists()

    # Hugo's index.xml, at each of Hugo's addresses for the section and its terms: the same
    # guids Hugo's own RSS has, so its readers see nothing twice.
    def is_ours(relative):
        parts = relative.parts[1:] if relative.parts[0] == "en" else relative.parts
        return parts == ("blog", "index.xml") or (len(parts) == 3 and parts[0] in ("tags", "categories"))
    hugo_feeds = sorted(p.relative_to(public) for p in public.rglob("index.xml"))
    wanted = [p for p in hugo_feeds if is_ours(p)]
    assert {str(p) for p in wanted} == {"blog/index.xml", "en/blog/index.xml", "tags/swift/index.xml",
                                        "tags/社区/index.xml", "tags/活动/index.xml", "categories/公告/index.xml",
                                        "tags/service-mesh/index.xml", "en/tags/service-mesh/index.xml",
                                        "en/tags/swift/index.xml", "en/tags/community/index.xml",
                                        "en/categories/news/index.xml"}, hugo_feeds
    undated = {r["permalink"] for r in hugo_rows(site) if r["date"] == ZERO_DATE}
    for relative in wanted:
        mine, theirs = items(out / relative), items(public / relative)
        hugos = [g for g in guids(theirs) if g not in undated]
        assert guids(mine) == hugos, relative
        assert sorted(e.link for e in mine.entries) == hugos, relative
        assert unquote(mine.feed.link) == unquote(theirs.feed.link), relative
    # "Service mesh" and "service-mesh" are one term, as on Hugo's site; the English page
    # named .en.md in the zh folder is in the English term's feed.
    assert len(items(out / "tags" / "service-mesh" / "index.xml").entries) == 2
    assert len(items(out / "en" / "tags" / "service-mesh" / "index.xml").entries) == 1
    assert not list(out.rglob("*service-mesh-*"))
    # Hugo's guid is the permalink, and a reader's client keys items by it.
    blog = items(out / "blog" / "index.xml")
    assert all(e.id == e.link for e in blog.entries)

    # Built twice: nothing changes; Hugo's index.xml written over Herald's is put back.
    again = herald("build", zh, en, "--out", out, cwd=tmp_path)
    assert "up to date" in again.stdout or "0 written" in again.stdout, again.stdout
    shutil.copy(public / "blog" / "index.xml", out / "blog" / "index.xml")
    os.utime(out / "blog" / "index.xml", (time.time() + 5, time.time() + 5))
    herald("build", zh, en, "--out", out, cwd=tmp_path)
    assert b"Herald" in (out / "blog" / "index.xml").read_bytes()


def test_hugos_index_xml_written_over_herald_is_put_back_when_the_feed_itself_is_unchanged(herald, tmp_path):
    """Posts old enough for a build to remember each feed's inputs: a feed whose posts and
    settings are the last build's is left alone, except where Hugo has since written its own
    index.xml over Herald's."""
    site = site_copy(tmp_path)
    herald("init", "--hugo", "site", cwd=tmp_path)
    # A file changed in the last 3 s (its ctime too, which no one can set back) is not trusted.
    time.sleep(3.5)
    zh, en = tmp_path / "feeds" / "site-zh", tmp_path / "feeds" / "site-en"
    public = hugo_build(site)
    out = tmp_path / "www"
    herald("build", zh, en, "--out", out, cwd=tmp_path)
    built = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    overwritten = [pathlib.Path("blog/index.xml"), pathlib.Path("tags/swift/index.xml")]
    later = time.time() + 5
    for relative in overwritten:
        shutil.copy(public / relative, out / relative)
        os.utime(out / relative, (later, later))
        assert (out / relative).read_bytes() != built[relative]
    herald("build", zh, en, "--out", out, cwd=tmp_path)
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == built


def test_serve_mounts_both_languages_at_their_paths_and_both_subscribe_in_chromium(herald, herald_bin, tmp_path, browser):
    from selenium.webdriver.common.by import By
    site_copy(tmp_path)
    herald("init", "--hugo", "site", cwd=tmp_path)
    recorder = smtp_servers.Recorder()
    smtp = smtp_servers.start(recorder)
    port = smtp_servers.free_port()
    served = f"http://127.0.0.1:{port}/"
    pubs = [tmp_path / "feeds" / "site-zh", tmp_path / "feeds" / "site-en"]
    for pub in pubs:
        # The site's root is the served address, so the browser's Origin is the site's.
        with open(pub / "herald.yml", "a", encoding="utf-8") as f:
            f.write(f"base_url: {served}\ndigest:\n  from: Site <digest@site.example.org>\n"
                    f"smtp:\n  url: smtp://127.0.0.1:{smtp.port}\n  retry_delay: 0\n")
    out = tmp_path / "www"
    env = dict(os.environ, STATE_DIRECTORY=str(tmp_path / "state"), HERALD_UNSUBSCRIBE_SECRET=SECRET)
    herald("check", *pubs, cwd=tmp_path, env=env)
    herald("build", *pubs, "--out", out, cwd=tmp_path, env=env)
    log = open(tmp_path / "serve.log", "w")
    process = subprocess.Popen([herald_bin, "serve", *pubs, "--out", out, "--listen", f"127.0.0.1:{port}"],
                               cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        def get(path):
            with urllib.request.urlopen(served + path.lstrip("/"), timeout=10) as response:
                return response.status, response.read().decode("utf-8")
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, (tmp_path / "serve.log").read_text()
            try:
                if get("/healthz")[0] == 200:
                    break
            except OSError:
                assert time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
                time.sleep(0.2)
        for path, title, reader in [("/blog/", "开源社区", "zh@example.org"),
                                    ("/en/blog/", "Open Source Community", "en@example.org")]:
            status, feed = get(path + "atom.xml")
            assert status == 200 and served + path.lstrip("/") + "atom.xml" in feed
            assert get(path + "index.xml")[0] == 200
            browser.get(served + path.lstrip("/") + "subscribe")
            assert title in browser.title, browser.title
            browser.find_element(By.ID, "email").send_keys(reader)
            browser.find_element(By.ID, "subscribe").click()
            assert browser.find_element(By.ID, "outcome").text, browser.page_source[:500]
            deadline = time.monotonic() + 20
            while reader not in recorder.recipients():
                assert time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
                time.sleep(0.1)
            mail = next(m for r, m in recorder.accepted if r == reader)
            body = mail.get_body(("plain",)).get_content()
            # The confirmation link is under the publication's own path.
            link = re.search(r"(http://\S+/confirm\?token=[A-Za-z0-9_-]+)", body).group(1)
            assert link.startswith(served + path.lstrip("/") + "confirm?token="), link
            browser.get(link)
            browser.find_element(By.ID, "confirm").click()
            assert browser.find_element(By.ID, "outcome").text
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()
        smtp.stop()
    for pub, name in [(pubs[0], "site-zh"), (pubs[1], "site-en")]:
        listed = herald("subscribers", pub, "list", cwd=tmp_path, env=env).stdout
        assert ("zh@example.org" in listed) == (name == "site-zh") and ("en@example.org" in listed) == (name == "site-en"), listed


def write_pub(tmp_path, name, extra):
    pub = tmp_path / "feeds" / name
    (pub / "posts").mkdir(parents=True, exist_ok=True)
    (pub / "herald.yml").write_text(f"title: {name}\nbase_url: https://e.example/\n{extra}", encoding="utf-8")
    return pub


def test_hostile_paths_and_shared_paths_are_config_errors(herald, tmp_path):
    for bad, says in [("/../etc/", ".."), ("/blog/../../x/", ".."), ("https://other.example/x/", "address"),
                      ("/a%2f/", "%"), ("\"/a\\tb/\"", "control character")]:
        pub = write_pub(tmp_path, "bad", f"path: {bad}\n")
        for command in ("check", "build"):
            proc = herald(command, pub, cwd=tmp_path, check=False)
            assert proc.returncode == EX_CONFIG, (bad, command, proc.stderr)
            assert "herald.yml:3" in proc.stderr and says in proc.stderr, (bad, proc.stderr)
        assert not (tmp_path / "public").exists()
        shutil.rmtree(pub)

    a = write_pub(tmp_path, "a", "")
    b = write_pub(tmp_path, "b", "path: /\n")
    for args in (["check", a, b], ["build", a, b], ["build", a, b, "--out", tmp_path / "www"]):
        proc = herald(*args, cwd=tmp_path, check=False)
        assert proc.returncode == EX_CONFIG, (args, proc.stderr)
        assert "a and b both write /atom.xml" in proc.stderr, proc.stderr
        assert "path:" in proc.stderr
    # Checked alone, the one beside it is a warning: copies and staging twins live side by side.
    proc = herald("check", a, cwd=tmp_path)
    assert "warning: a and b both write /atom.xml" in proc.stderr, proc.stderr
    assert not (tmp_path / "www").exists() and not (tmp_path / "public").exists()
    # Given their own paths, both check and build, side by side in one folder.
    (b / "herald.yml").write_text("title: b\nbase_url: https://e.example/\npath: /b/\n", encoding="utf-8")
    herald("check", a, b, cwd=tmp_path)
    herald("build", a, b, "--out", tmp_path / "www", cwd=tmp_path)
    assert (tmp_path / "www" / "atom.xml").is_file() and (tmp_path / "www" / "b" / "atom.xml").is_file()


def test_a_path_in_another_script_is_served_and_linked_percent_encoded(herald, herald_bin, tmp_path):
    port = smtp_servers.free_port()
    pub = write_pub(tmp_path, "w", "path: /博客/\ndigest:\n  from: w@example.org\nsmtp:\n  url: smtp://127.0.0.1:9\n")
    (pub / "herald.yml").write_text((pub / "herald.yml").read_text(encoding="utf-8").replace(
        "https://e.example/", f"http://127.0.0.1:{port}/"), encoding="utf-8")
    (pub / "posts" / "hi.md").write_text("---\ntitle: Hi\ndate: 2024-01-01\n---\nHello.\n", encoding="utf-8")
    env = dict(os.environ, STATE_DIRECTORY=str(tmp_path / "state"), HERALD_UNSUBSCRIBE_SECRET=SECRET)
    herald("build", pub, "--out", tmp_path / "www", cwd=tmp_path, env=env)
    feed = items(tmp_path / "www" / "博客" / "atom.xml")
    assert any(l.href == f"http://127.0.0.1:{port}/%E5%8D%9A%E5%AE%A2/atom.xml" for l in feed.feed.links), feed.feed.links
    log = open(tmp_path / "serve.log", "w")
    process = subprocess.Popen([herald_bin, "serve", pub, "--out", tmp_path / "www", "--listen", f"127.0.0.1:{port}"],
                               cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}/%E5%8D%9A%E5%AE%A2/"
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, (tmp_path / "serve.log").read_text()
            try:
                with urllib.request.urlopen(base + "subscribe", timeout=10) as response:
                    page = response.read().decode("utf-8")
                    break
            except OSError:
                assert time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
                time.sleep(0.2)
        assert 'action="/%E5%8D%9A%E5%AE%A2/subscribe"' in page
        with urllib.request.urlopen(base + "atom.xml", timeout=10) as response:
            assert response.status == 200
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()
