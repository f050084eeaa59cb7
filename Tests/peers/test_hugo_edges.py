"""Hugo's rules at the edges, held to Debian's `hugo` (docs/hugo-sites.md): a page Hugo lists
without front matter or a date, `ignoreFiles`, a translation named by its file in another
language's content folder, and taxonomy terms merged and placed as Hugo places them.

The site is written here, built by Hugo (`hugo list all` and its public/ folder are the
expected values) and by Herald, one publication per language."""
import csv
import datetime as dt
import io
import os
import pathlib
import re
import subprocess
import time
from urllib.parse import unquote, urlsplit

import feedparser

import smtp_servers

SECRET = "edges-test-secret-0123456789abcdef"
BASE = "https://site.example/"
ZERO = "0001-01-01T00:00:00Z"
NO_FRONT_MATTER = "content/zh/blog/notes/index.md"
UNDATED = "content/zh/blog/undated.md"

HUGO_TOML = r'''baseURL = "https://site.example/"
title = "Edges"
defaultContentLanguage = "zh"
timeZone = "Asia/Shanghai"
ignoreFiles = ["\\.draft\\.md$", "/blog/private$"]
[languages.zh]
contentDir = "content/zh"
weight = 1
[languages.en]
contentDir = "content/en"
weight = 2
'''


def page(title, date, tags=(), categories=()):
    lines = ["---", f"title: {title}"]
    if date:
        lines.append(f"date: {date}")
    if tags:
        lines.append("tags: [" + ", ".join(f'"{t}"' for t in tags) + "]")
    if categories:
        lines.append("categories: [" + ", ".join(f'"{c}"' for c in categories) + "]")
    return "\n".join(lines + ["---", f"{title} body.", ""])


def write_site(root, recent):
    files = {
        "hugo.toml": HUGO_TOML,
        # Mixed case, spaces and hyphens: one term for Hugo.
        "content/zh/blog/a.md": page("A", "2024-05-01", ["Service mesh", "开源 之夏", "C++", "C#", "a/b", "Go"], ["Cloud Native"]),
        "content/zh/blog/b.md": page("B", "2024-05-02", ["service-mesh", "SERVICE MESH", "go"], ["cloud-native"]),
        "content/zh/blog/c/index.md": page("C", recent, ["开源 之夏", "Ünïcode", "x.y"]),
        # Hugo lists these with a zero date.
        NO_FRONT_MATTER: "Only a sentence, no front matter.\n",
        UNDATED: page("Undated", None, ["Service mesh"]),
        # Never read by Hugo: ignoreFiles.
        "content/zh/blog/wip.draft.md": page("WIP", "2024-05-03", ["ignored-tag"]),
        "content/zh/blog/private/secret.md": page("Secret", "2024-05-03", ["ignored-tag"]),
        # English by its name, in the zh folder; Chinese by its name, in the en folder.
        "content/zh/blog/x.en.md": page("X", "2024-05-04", ["Service Mesh", "Translation"]),
        "content/en/blog/e.md": page("E", "2024-05-05", ["service mesh"]),
        "content/en/blog/z.zh.md": page("Z", "2024-05-06", ["开源 之夏"]),
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    # A content file that is a symlink to one outside the site: Hugo reads it.
    outside = root.parent / "outside.md"
    outside.write_text(page("Linked", "2024-05-07", ["Linked"]), encoding="utf-8")
    (root / "content/zh/blog/linked.md").symlink_to(outside)


def hugo_rows(site):
    proc = subprocess.run(["hugo", "list", "all", "--source", str(site)], capture_output=True, text=True,
                          cwd=site, env=dict(os.environ, HUGO_BASEURL=BASE))
    assert proc.returncode == 0, proc.stderr
    return list(csv.DictReader(io.StringIO(proc.stdout)))


def hugo_public(site, public):
    proc = subprocess.run(["hugo", "--quiet", "--source", str(site), "--destination", str(public),
                           "--baseURL", BASE], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return public


def publication(tmp_path, language):
    folder = tmp_path / "feeds" / language
    folder.mkdir(parents=True)
    (folder / "herald.yml").write_text(
        "hugo: ../../site\nsection: blog\n"
        f"language: {language}\n"
        "feeds:\n  entries: 0\n"
        "digest:\n  from: Edges <digest@site.example>\n  first_window: 30\n", encoding="utf-8")
    return folder


def setup(herald, tmp_path):
    site = tmp_path / "site"
    recent = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 3600))
    write_site(site, recent)
    return site, hugo_rows(site)


def language_of(row):
    """Hugo's language of a listed page, from its permalink (zh is at the root)."""
    return "en" if urlsplit(row["permalink"]).path.startswith("/en/") else "zh"


def term_folders(tree, marker):
    """Folders below a `marker` component (tags, categories) that hold a feed, as paths."""
    found = set()
    for path in tree.rglob("*"):
        if path.name not in ("index.xml", "atom.xml"):
            continue
        parts = path.parent.relative_to(tree).parts
        if marker in parts:
            rest = parts[parts.index(marker) + 1:]
            if rest:
                found.add("/".join(rest))
    return found


def test_hugos_page_list_decides_and_undated_pages_are_left_out_with_a_warning(herald, tmp_path):
    site, rows = setup(herald, tmp_path)
    by_path = {r["path"]: r for r in rows}
    # Hugo lists the pages without front matter or date, with a zero date, and skips ignoreFiles.
    assert by_path[NO_FRONT_MATTER]["date"] == ZERO and by_path[NO_FRONT_MATTER]["title"] == ""
    assert by_path[UNDATED]["date"] == ZERO
    assert not any("draft" in p or "private" in p for p in by_path)
    assert by_path["content/zh/blog/x.en.md"]["permalink"] == BASE + "en/blog/x/"
    assert by_path["content/en/blog/z.zh.md"]["permalink"] == BASE + "blog/z/"
    for language in ["zh", "en"]:
        pub = publication(tmp_path, language)
        check = herald("check", pub, cwd=tmp_path)
        out = tmp_path / "out" / language
        build = herald("build", pub, "--out", out, cwd=tmp_path)
        expected = sorted(r["permalink"] for r in rows if language_of(r) == language and r["date"] != ZERO)
        for name in ["atom.xml", "rss.xml"]:
            feed = feedparser.parse(str(next(out.rglob(name))))
            assert feed.bozo == 0, feed.get("bozo_exception")
            assert sorted(e.link for e in feed.entries) == expected, name
        if language == "zh":
            for proc in [check, build]:
                assert f"site/{NO_FRONT_MATTER}:1: warning: no front matter: Hugo lists this page untitled" in proc.stderr
                assert f"site/{UNDATED}:1: warning: no date: Hugo lists this page with a zero date" in proc.stderr
                # The date suggested is the file's own time, in the site's time zone.
                assert re.search(r"until its front matter has date: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00", proc.stderr)


def test_the_digest_still_goes_out_with_the_other_posts(herald, tmp_path):
    setup(herald, tmp_path)
    pub = publication(tmp_path, "zh")
    state, maildir = tmp_path / "state", tmp_path / "maildir"
    herald("subscribers", pub, "add", "reader@example.com", "--state-dir", state)
    proc = herald("send", pub, "--dry-run", "--out", maildir, "--state-dir", state,
                  env={"HERALD_UNSUBSCRIBE_SECRET": SECRET}, cwd=tmp_path)
    (message,) = list((maildir / "new").iterdir())
    text = message.read_bytes().decode("utf-8", "replace")
    assert BASE + "blog/c/" in text, proc.stdout + proc.stderr
    assert "Undated" not in text


def test_the_timers_run_sends_the_digest_beside_a_page_without_front_matter(herald, tmp_path, smtp_server):
    """What the systemd timer starts (no --skip-invalid): exit 0, the feeds, the digest."""
    setup(herald, tmp_path)
    recorder = smtp_servers.Recorder()
    server = smtp_server(recorder)
    pub = publication(tmp_path, "zh")
    with open(pub / "herald.yml", "a", encoding="utf-8") as config:
        config.write("  schedule: daily 00:00\n  unsubscribe_url: https://site.example/unsubscribe\n"
                     f"smtp:\n  url: smtp://127.0.0.1:{server.port}\n  starttls: off\n  retry_delay: 0\n")
    state = tmp_path / "state"
    herald("subscribers", pub, "add", "reader@example.com", "--state-dir", state)
    proc = herald("run", pub, "--out", tmp_path / "out", "--state-dir", state,
                  env={"HERALD_UNSUBSCRIBE_SECRET": SECRET}, cwd=tmp_path)
    assert f"site/{NO_FRONT_MATTER}:1: warning: no front matter" in proc.stderr
    assert recorder.recipients() == ["reader@example.com"], proc.stdout + proc.stderr


def test_term_folders_and_titles_are_hugos(herald, tmp_path):
    site, rows = setup(herald, tmp_path)
    public = hugo_public(site, tmp_path / "public")
    for language, hugo_root in [("zh", public), ("en", public / "en")]:
        pub = publication(tmp_path, language)
        out = tmp_path / "out" / language
        herald("build", pub, "--out", out, cwd=tmp_path)
        for taxonomy in ["tags", "categories"]:
            hugo_terms = {p.parent.relative_to(hugo_root / taxonomy).as_posix()
                          for p in (hugo_root / taxonomy).rglob("index.xml") if p.parent != hugo_root / taxonomy}
            herald_terms = term_folders(out, taxonomy)
            # Hugo's term pages include terms of undated pages, which Herald leaves out.
            undated_only = {"service-mesh"} - herald_terms if language == "zh" and taxonomy == "tags" else set()
            assert herald_terms == hugo_terms - undated_only, (language, taxonomy)
            for term in herald_terms:
                hugo_feed = feedparser.parse(str(hugo_root / taxonomy / term / "index.xml"))
                herald_feed = feedparser.parse(str(next(p for p in out.rglob("atom.xml")
                                                        if p.parent.as_posix().endswith(f"{taxonomy}/{term}"))))
                hugo_title = hugo_feed.feed.title.rsplit(" on Edges", 1)[0]
                assert herald_feed.feed.title.startswith(hugo_title + " · "), (term, hugo_title, herald_feed.feed.title)
                # The page the feed stands for is Hugo's term page (its RSS is beside it).
                path = unquote(urlsplit(herald_feed.feed.link).path).lstrip("/")
                assert (public / path / "index.xml").is_file(), herald_feed.feed.link
    # The merged terms are the ones the site shows: one service-mesh, no hash-suffixed twin.
    assert (public / "tags" / "service-mesh").is_dir() and (public / "tags" / "开源-之夏").is_dir()


def test_hostile_terms_build_and_stay_inside(herald, tmp_path):
    site, _ = setup(herald, tmp_path)
    huge = "长" * 100
    (site / "content/zh/blog/hostile.md").write_text(
        "---\ntitle: Hostile\ndate: 2024-05-08\n"
        f'tags: ["a\\u0000b\\u0007c", "!!!", "../../escape", "{huge}", "\\t"]\n---\nbody\n', encoding="utf-8")
    pub = publication(tmp_path, "zh")
    out = tmp_path / "out" / "zh"
    build = herald("build", pub, "--out", out, cwd=tmp_path)
    assert "tags \"!!!\" gets no feed" in build.stderr
    assert "it names a parent folder (..)" in build.stderr
    assert "longer than 255 bytes" in build.stderr
    written = [p.resolve() for p in out.rglob("*")]
    assert all(str(p).startswith(str(out.resolve())) for p in written)
    assert not (tmp_path / "escape").exists()
    assert "abc" in term_folders(out, "tags")
    # The control characters are gone from the term's feed, which parses.
    for name in ["atom.xml", "rss.xml"]:
        feed = feedparser.parse(str(next(p for p in out.rglob(name) if p.parent.name == "abc")))
        assert feed.bozo == 0, feed.get("bozo_exception")
        assert feed.feed.title.startswith("abc · "), feed.feed.title
