"""Herald on Hugo sites as they are, held to Debian's `hugo` (docs/hugo-sites.md).

The rule: for every published page of a section, the link in Herald's feeds is exactly the
permalink `hugo list all` prints for it, and no other link is there. Each fixture site under
fixtures/hugo is copied to a scratch folder (Hugo and Herald both write beside it), Hugo lists
it with a fixed base URL, and Herald builds a publication per (section, language) with
`hugo:` pointing at the copy. Expected values always come from Hugo's own output."""
import csv
import datetime as dt
import html as html_text
import io
import xml.etree.ElementTree as ET
import json
import os
import pathlib
import re
import shutil
import subprocess
from urllib.parse import unquote, urljoin, urlsplit

import feedparser
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "Tests" / "peers" / "fixtures" / "hugo"
EX_USAGE, EX_DATAERR = 64, 65
ZERO_DATE = "0001-01-01T00:00:00Z"

# What the test needs to know to put Hugo's rows in (section, language) groups: each
# language's content dir and the default language (the same facts the sites' configs hold).
SITES = {
    "community": dict(base="https://weekly.example.org/", default="zh",
                      dirs={"zh": "content/zh", "en": "content/en"}),
    "patterns": dict(base="https://example.org/site/", default="en", dirs={"en": "content"}),
    "translations": dict(base="https://docs.example.net/", default="en",
                         dirs={"en": "content", "fr": "content"}),
    "rawhtml": dict(base="https://clips.example.org/", default="en", dirs={"en": "content"}),
}

# (site, section, language or None for the site's default, base_url written in herald.yml or None)
PUBLICATIONS = [
    ("community", "blog", "zh", None),
    ("community", "blog", "en", None),
    ("community", "news", None, None),
    # A base URL given in herald.yml wins over the site's; Hugo gets the same one.
    ("community", "blog", "en", "https://mirror.example.com/weekly/"),
    *[("patterns", s, None, None) for s in ["posts", "notes", "articles", "news", "archive", "docs", "plain"]],
    ("translations", "posts", "en", None),
    ("translations", "posts", "fr", None),
    ("translations", "events", "en", None),
    ("translations", "events", "fr", None),
    ("rawhtml", "posts", None, None),
]


# ---------------------------------------------------------------- Hugo's side

def copy_site(name, tmp_path):
    dest = tmp_path / "sites" / name
    shutil.copytree(FIXTURES / name, dest)
    return dest


def hugo_rows(site, base):
    """`hugo list all` as dicts: every page with its permalink, drafts and future ones included."""
    # `hugo list` has no --baseURL flag; Hugo reads any setting from HUGO_<KEY>.
    proc = subprocess.run(["hugo", "list", "all", "--source", str(site)], capture_output=True, text=True,
                          cwd=site, env=dict(os.environ, HUGO_BASEURL=base))
    assert proc.returncode == 0, proc.stderr
    return list(csv.DictReader(io.StringIO(proc.stdout)))


def rfc3339(s):
    return dt.datetime.fromisoformat(s.replace("Z", "+00:00"))


def is_published(row, now):
    """What Hugo publishes without --buildDrafts/--buildFuture/--buildExpired."""
    if row["draft"] == "true" or rfc3339(row["publishDate"]) > now:
        return False
    return row["expiryDate"] == ZERO_DATE or rfc3339(row["expiryDate"]) > now


def placement(site_name, path):
    """(language, top-level section) of a row's content file, by Hugo's rules: the language of
    a `name.LANG.md` suffix when LANG is one of the site's (in any content dir), else of its
    content dir (the default language's for a shared one); the section is the first folder
    under the content dir ("" for a page at its root)."""
    info = SITES[site_name]
    for lang, d in info["dirs"].items():
        if not path.startswith(d + "/"):
            continue
        rel = path[len(d) + 1:]
        if list(info["dirs"].values()).count(d) > 1:
            lang = info["default"]
        parts = rel.rsplit("/", 1)[-1].split(".")
        if len(parts) >= 3 and parts[-2] in info["dirs"]:
            lang = parts[-2]
        return lang, (rel.split("/", 1)[0] if "/" in rel else "")
    raise AssertionError(f"{path} is in no content dir of {site_name}")


def expected_links(site_name, rows, section, language):
    now = dt.datetime.now(dt.timezone.utc)
    language = language or SITES[site_name]["default"]
    return sorted(r["permalink"] for r in rows
                  if placement(site_name, r["path"]) == (language, section) and is_published(r, now))


# ---------------------------------------------------------------- Herald's side

def write_publication(folder, site, section=None, language=None, base_url=None, extra=""):
    folder.mkdir(parents=True, exist_ok=True)
    lines = [f"hugo: {pathlib.Path('..', '..', 'sites', site.name).as_posix()}"]
    if section:
        lines.append(f"section: {section}")
    if language:
        lines.append(f"language: {language}")
    if base_url:
        lines.append(f"base_url: {base_url}")
    lines += ["feeds:", "  entries: 0", "  content: full"]
    (folder / "herald.yml").write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return folder


def feed_links(out):
    """Entry links of atom.xml and rss.xml, as feedparser reads them."""
    links = {}
    for name in ["atom.xml", "rss.xml"]:
        parsed = feedparser.parse(str(out / name))
        assert parsed.bozo == 0, f"{name}: {parsed.get('bozo_exception')}"
        links[name] = [e.link for e in parsed.entries]
    return links


def feed_entries(out, name="atom.xml"):
    parsed = feedparser.parse(str(out / name))
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return parsed


def publication_folder(root):
    """Where a build with `--out root` put the publication's own feeds: its path on the site
    (a Hugo section's, `blog/` or `en/blog/`), the shallowest folder with an atom.xml."""
    return min((p.parent for p in root.rglob("atom.xml")), key=lambda p: len(p.parts))


def build_site_publication(herald, tmp_path, site_name, section, language, base_url):
    site = copy_site(site_name, tmp_path)
    base = base_url or SITES[site_name]["base"]
    rows = hugo_rows(site, base)
    pub = write_publication(tmp_path / "feeds" / f"{section}-{language or 'default'}", site,
                            section, language, base_url)
    herald("build", pub, "--out", tmp_path / "out", cwd=tmp_path)
    return site, rows, publication_folder(tmp_path / "out")


# ---------------------------------------------------------------- the rule: Hugo's permalinks, all of them

@pytest.mark.parametrize("site_name,section,language,base_url", PUBLICATIONS,
                         ids=[f"{s}-{sec}-{lang or 'default'}{'-base' if b else ''}" for s, sec, lang, b in PUBLICATIONS])
def test_feed_links_are_hugos_permalinks(herald, tmp_path, site_name, section, language, base_url):
    site, rows, out = build_site_publication(herald, tmp_path, site_name, section, language, base_url)
    expected = expected_links(site_name, rows, section, language)
    assert expected, "the fixture publishes nothing in this section: the test would prove nothing"
    for name, links in feed_links(out).items():
        assert len(links) == len(set(links)), f"{name}: a link appears twice: {links}"
        missing = sorted(set(expected) - set(links))
        extra = sorted(set(links) - set(expected))
        assert not missing and not extra, f"{name}: missing {missing}, not Hugo's {extra}"


def test_every_fixture_page_is_covered(tmp_path):
    """Each fixture page Hugo publishes falls in a publication the test above builds, so no
    page's URL rule goes untested (the root pages are the exception: they are in no section)."""
    covered = {(s, sec, lang or SITES[s]["default"]) for s, sec, lang, _ in PUBLICATIONS}
    now = dt.datetime.now(dt.timezone.utc)
    for name, info in SITES.items():
        for row in hugo_rows(copy_site(name, tmp_path), info["base"]):
            lang, section = placement(name, row["path"])
            if section and is_published(row, now):
                assert (name, section, lang) in covered, row["path"]


# ---------------------------------------------------------------- bundles: resources where Hugo puts them

def test_bundle_images_and_links_resolve_where_hugo_publishes_them(herald, tmp_path):
    site, rows, out = build_site_publication(herald, tmp_path, "community", "blog", "zh", None)
    public = tmp_path / "public"
    proc = subprocess.run(["hugo", "--quiet", "--source", str(site), "--destination", str(public),
                           "--baseURL", SITES["community"]["base"]], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    by_path = {r["path"]: r["permalink"] for r in rows}
    bundle = by_path["content/zh/blog/sofa-release/index.md"]
    entry = next(e for e in feed_entries(out).entries if e.link == bundle)
    html = entry.content[0].value
    for relative in ["cover.png", "images/diagram.png"]:
        url = urljoin(bundle, relative)
        assert f'src="{url}"' in html or f'href="{url}"' in html, (url, html)
        # The URL is a file Hugo wrote: the resource is published beside the page.
        assert (public / unquote(urlsplit(url).path).lstrip("/")).is_file(), url
    assert f'href="{by_path["content/zh/blog/2024-05-03-weekly.md"]}"' in html


# ---------------------------------------------------------------- summaries

def hugo_build(site, public):
    proc = subprocess.run(["hugo", "--quiet", "--source", str(site), "--destination", str(public)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return public


@pytest.mark.parametrize("language,list_page", [("zh", "blog/index.html"), ("en", "en/blog/index.html")])
def test_summaries_are_hugos(herald, tmp_path, language, list_page):
    """The fixture's list layout prints each page's .Summary as Hugo makes it: <!--more-->,
    else front matter summary, else summaryLength words to the end of a sentence (characters
    for a Chinese page, the site having hasCJKLanguage)."""
    site, rows, out = build_site_publication(herald, tmp_path, "community", "blog", language, None)
    public = hugo_build(site, tmp_path / "public")
    hugo_summaries = {}
    for line in (public / list_page).read_text(encoding="utf-8").splitlines():
        link, _, summary = line.partition("\t")
        hugo_summaries[link] = " ".join(json.loads(summary).split())
    # Shortcodes are rendered differently on purpose (a video is a link in a feed).
    skip = {r["permalink"] for r in rows if r["path"].endswith("shortcodes.md")}
    # Read atom:summary itself: feedparser fills a missing summary in from the content.
    ns = {"a": "http://www.w3.org/2005/Atom"}
    compared = 0
    for entry in ET.parse(out / "atom.xml").getroot().findall("a:entry", ns):
        link = entry.find("a:link[@rel='alternate']", ns).get("href")
        if link in skip:
            continue
        summary = entry.find("a:summary", ns)
        text = summary.text if summary is not None else ""
        if summary is not None and summary.get("type") == "html":
            # A <!--more--> summary is HTML, as Hugo's .Summary is; the layout plainifies it.
            text = html_text.unescape(re.sub(r"<[^>]*>", "", text))
        assert " ".join(text.split()) == hugo_summaries[link], link
        compared += 1
    assert compared >= 3


def test_footnotes_and_task_lists_render_as_goldmark_has_them_on(herald, tmp_path):
    site, rows, out = build_site_publication(herald, tmp_path, "community", "blog", "en", None)
    page = next(r["permalink"] for r in rows if r["path"].endswith("Mixed_Case.md"))
    html = next(e for e in feed_entries(out).entries if e.link == page).content[0].value
    assert html.count('type="checkbox"') == 2 and "checked" in html
    assert "The note." in html and "[^1]" not in html


def test_footnote_links_land_on_the_anchors_of_hugos_page(herald, tmp_path):
    """Mail clients and feed readers keep no ids, so a footnote link points at the post's page;
    every one must name an id Hugo (Goldmark) wrote there, as cmark-gfm's own names do not."""
    site, rows, out = build_site_publication(herald, tmp_path, "community", "blog", "en", None)
    public = hugo_build(site, tmp_path / "public")
    page = next(r["permalink"] for r in rows if r["path"].endswith("Mixed_Case.md"))
    hugo_html = (public / urlsplit(page).path.lstrip("/") / "index.html").read_text(encoding="utf-8")
    hugo_ids = set(re.findall(r'id="([^"]+)"', hugo_html))
    hugo_hrefs = re.findall(r'href="#(fn[^"]*)"', hugo_html)
    html = next(e for e in feed_entries(out).entries if e.link == page).content[0].value
    links = re.findall(r'href="([^"]*#fn[^"]*)"', html)
    fragments = [urlsplit(link).fragment for link in links]
    assert all(link.startswith(page + "#") for link in links), links
    # The same links in the same order as on Hugo's page: four references, four back links.
    assert fragments == hugo_hrefs and len(fragments) == 8, (fragments, hugo_hrefs)
    assert set(fragments) <= hugo_ids, sorted(set(fragments) - hugo_ids)
    assert "Never cited" not in html


def visible_text(fragment):
    return " ".join(html_text.unescape(re.sub(r"<[^>]*>", " ", fragment)).split())


def test_a_posts_text_in_the_feed_is_the_text_of_hugos_page(herald, tmp_path):
    """Goldmark's typographer is on in Hugo: "quotes" -- dashes... become curly quotes, en and
    em dashes and an ellipsis on the site, so in the feed too; a heading's {#id .class} is
    attributes, not text; "Term" then ": definition" is a definition list; and footnotes,
    task list and all read as on the page, word for word."""
    site, rows, out = build_site_publication(herald, tmp_path, "community", "blog", "en", None)
    public = hugo_build(site, tmp_path / "public")
    page = next(r["permalink"] for r in rows if r["path"].endswith("Mixed_Case.md"))
    hugo_html = (public / urlsplit(page).path.lstrip("/") / "index.html").read_text(encoding="utf-8")
    html = next(e for e in feed_entries(out).entries if e.link == page).content[0].value
    assert "\u201chello\u201d \u2013 then left\u2026 It\u2019s the 1990s\u2014\u2018quoted\u2019" in visible_text(html)
    assert visible_text(html) == visible_text(hugo_html)
    assert html.count("<dt>") == 2 and html.count("<dd>") == 2, html


# ---------------------------------------------------------------- raw HTML, as the site shows it

def embeds_page(herald, tmp_path, unsafe):
    """(Hugo's page, Herald's atom content) of the rawhtml fixture's post with a video and an
    iframe, the site's markup.goldmark.renderer.unsafe as given (removed: Hugo's default)."""
    site = copy_site("rawhtml", tmp_path)
    if not unsafe:
        config = site / "hugo.toml"
        text = config.read_text(encoding="utf-8")
        config.write_text(text.split("[markup.goldmark.renderer]")[0], encoding="utf-8")
    rows = hugo_rows(site, SITES["rawhtml"]["base"])
    pub = write_publication(tmp_path / "feeds" / "clips", site)
    herald("build", pub, "--out", tmp_path / "out", cwd=tmp_path)
    out = publication_folder(tmp_path / "out")
    public = hugo_build(site, tmp_path / "public")
    page = next(r["permalink"] for r in rows if r["path"].endswith("embeds.md"))
    hugo_html = (public / urlsplit(page).path.lstrip("/") / "index.html").read_text(encoding="utf-8")
    html = next(e for e in feed_entries(out).entries if e.link == page).content[0].value
    return hugo_html, html


def test_raw_html_is_left_out_as_on_hugos_page_by_default(herald, tmp_path):
    hugo_html, html = embeds_page(herald, tmp_path, unsafe=False)
    assert "raw HTML omitted" in hugo_html and "<video" not in hugo_html
    for gone in ["clip.mp4", "poster.jpg", "youtube", "<b>"]:
        assert gone not in html, html
    assert visible_text(html) == visible_text(hugo_html)


def test_with_unsafe_on_a_video_and_an_iframe_become_links(herald, tmp_path):
    """The site shows the player; a feed reader or mail client runs none, so the post carries a
    link to what plays there, the video's poster as its picture."""
    hugo_html, html = embeds_page(herald, tmp_path, unsafe=True)
    assert "<video" in hugo_html and "<iframe" in hugo_html and "<b>bold</b>" in hugo_html
    assert re.search(r'<a href="https://media.example.org/clip.mp4"><img [^>]*src="https://media.example.org/poster.jpg"',
                     html), html
    assert '<a href="https://www.youtube-nocookie.com/embed/abc123">The talk</a>' in html, html
    assert "<b>bold</b>" in html and "<video" not in html and "<iframe" not in html


# ---------------------------------------------------------------- shortcodes

def line_of(path, text):
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")


def test_shortcodes_render_and_never_reach_a_feed_as_text(herald, tmp_path):
    site, rows, out = build_site_publication(herald, tmp_path, "community", "blog", "zh", None)
    by_path = {r["path"]: r["permalink"] for r in rows}
    page = by_path["content/zh/blog/shortcodes.md"]
    for name in ["atom.xml", "rss.xml"]:
        for entry in feed_entries(out, name).entries:
            body = html_text.unescape(entry.content[0].value if "content" in entry else entry.summary)
            assert "{{<" not in body and "{{%" not in body, (entry.link, body)
    html = next(e for e in feed_entries(out).entries if e.link == page).content[0].value
    assert f'src="{urljoin(page, "sofa-release/cover.png")}"' in html          # figure
    assert f'href="{by_path["content/zh/blog/2024-05-03-weekly.md"]}"' in html  # ref
    assert f'href="{by_path["content/zh/blog/sofa-release/index.md"]}"' in html  # relref
    assert 'fmt.Println(&quot;你好&quot;)' in html or 'fmt.Println("你好")' in html  # highlight
    assert "https://www.youtube.com/watch?v=w7Ft2ymGmfc" in html               # youtube
    assert "https://vimeo.com/146022717" in html                               # vimeo
    assert "展开" in html and "折叠的内容" in html                               # details
    assert "开头一段" in html and "结尾一段" in html


def test_check_names_file_and_line_of_an_unknown_shortcode(herald, tmp_path):
    site = copy_site("community", tmp_path)
    pub = write_publication(tmp_path / "feeds" / "blog", site, "blog", "zh")
    proc = herald("check", pub, cwd=tmp_path, check=False)
    source = site / "content" / "zh" / "blog" / "shortcodes.md"
    line = line_of(source, "{{< callout >}}")
    shown = source.relative_to(tmp_path).as_posix()
    messages = [m for m in proc.stderr.splitlines() if m.startswith(f"{shown}:{line}:")]
    assert len(messages) == 1 and "callout" in messages[0], proc.stderr
    # The built-in shortcodes with a static meaning are not reported.
    for known in ["figure", "relref", "highlight", "youtube", "vimeo", "details"]:
        assert f'"{known}"' not in proc.stderr


# ---------------------------------------------------------------- dates and front matter

def test_dates_and_updated_come_from_hugos_fields(herald, tmp_path):
    site, rows, out = build_site_publication(herald, tmp_path, "community", "blog", "zh", None)
    by_link = {r["permalink"]: r for r in rows}
    for entry in feed_entries(out).entries:
        row = by_link[entry.link]
        assert dt.datetime(*entry.published_parsed[:6], tzinfo=dt.timezone.utc) == rfc3339(row["date"])
    lastmod = next(e for e in feed_entries(out).entries
                   if e.link == next(r["permalink"] for r in rows if r["path"].endswith("2024-05-10-weekly.md")))
    assert dt.datetime(*lastmod.updated_parsed[:6], tzinfo=dt.timezone.utc) == rfc3339("2024-05-11T01:00:00Z")


# ---------------------------------------------------------------- never publish less by accident

def entry_count(out):
    return len(feed_entries(out).entries)


def test_a_vanished_section_does_not_replace_the_feeds(herald, tmp_path):
    site, rows, out = build_site_publication(herald, tmp_path, "community", "blog", "zh", None)
    before = (out / "atom.xml").read_bytes()
    assert entry_count(out) > 2
    shutil.rmtree(site / "content" / "zh" / "blog")
    pub = tmp_path / "feeds" / "blog-zh"
    for flags in [[], ["--skip-invalid"]]:
        proc = herald("build", pub, "--out", tmp_path / "out", *flags, cwd=tmp_path, check=False)
        assert proc.returncode == EX_DATAERR, proc
        assert "--allow-shrink" in proc.stderr and "blog" in proc.stderr
        assert (out / "atom.xml").read_bytes() == before
    herald("build", pub, "--out", tmp_path / "out", "--allow-shrink", cwd=tmp_path)
    assert entry_count(out) == 0


def test_dropping_more_than_half_the_entries_needs_allow_shrink(herald, tmp_path):
    site, rows, out = build_site_publication(herald, tmp_path, "community", "blog", "zh", None)
    before = entry_count(out)
    posts = sorted((site / "content" / "zh" / "blog").glob("2024-05-*.md"))
    keep = (site / "content" / "zh" / "blog" / "sofa-release")
    for p in (site / "content" / "zh" / "blog").iterdir():
        if p != keep and p.name != "_index.md":
            shutil.rmtree(p) if p.is_dir() else p.unlink()
    pub = tmp_path / "feeds" / "blog-zh"
    proc = herald("build", pub, "--out", tmp_path / "out", cwd=tmp_path, check=False)
    assert proc.returncode == EX_DATAERR
    assert f"{before}" in proc.stderr and "--allow-shrink" in proc.stderr
    assert entry_count(out) == before
    herald("build", pub, "--out", tmp_path / "out", "--allow-shrink", cwd=tmp_path)
    assert entry_count(out) == 1
    assert posts  # the flat files were among those removed


def test_an_emptied_posts_folder_is_refused_in_the_old_form_too(herald, tmp_path):
    pub = tmp_path / "pub"
    (pub / "posts").mkdir(parents=True)
    (pub / "herald.yml").write_text("title: T\nbase_url: https://t.example/\nposts: posts\n"
                                    "permalink: /p/:slug/\n", encoding="utf-8")
    for n in range(3):
        (pub / "posts" / f"p{n}.md").write_text(f"---\ntitle: Post {n}\ndate: 2024-01-0{n + 1}\n---\nx\n",
                                                encoding="utf-8")
    out = tmp_path / "out"
    herald("build", pub, "--out", out)
    assert entry_count(out) == 3
    for p in (pub / "posts").iterdir():
        p.unlink()
    assert herald("build", pub, "--out", out, check=False).returncode == EX_DATAERR
    assert entry_count(out) == 3


# ---------------------------------------------------------------- herald init --hugo

def test_init_writes_a_publication_that_matches_hugo(herald, tmp_path):
    site = copy_site("community", tmp_path)
    proc = herald("init", "--hugo", site.relative_to(tmp_path), "--section", "blog", "--language", "en",
                  "weekly-en", cwd=tmp_path)
    config = tmp_path / "feeds" / "weekly-en" / "herald.yml"
    assert config.is_file(), proc.stdout
    text = config.read_text(encoding="utf-8")
    assert re.search(r"^hugo: .*sites/community$", text, re.M), text
    assert "Community Weekly" in text          # the title read from the site, shown
    assert re.search(r"^#.*smtp", text, re.M | re.I)  # the keys left to fill in, commented
    herald("check", config.parent, cwd=tmp_path)
    out = tmp_path / "out"
    herald("build", config.parent, "--out", out, cwd=tmp_path)
    rows = hugo_rows(site, SITES["community"]["base"])
    expected = expected_links("community", rows, "blog", "en")
    # The feeds live at the section's path in the language, beside Hugo's own pages.
    assert sorted(feed_links(out / "en" / "blog")["atom.xml"]) == expected


def test_init_refuses_a_folder_that_is_not_a_hugo_site(herald, tmp_path):
    (tmp_path / "not-a-site").mkdir()
    proc = herald("init", "--hugo", "not-a-site", "x", cwd=tmp_path, check=False)
    assert proc.returncode == EX_USAGE
    assert "not-a-site" in proc.stderr
    assert not (tmp_path / "feeds" / "x").exists()
