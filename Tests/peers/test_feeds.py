"""herald build, checked by the programs that read feeds: feedparser, xmllint (with the
RFC 4287 RELAX NG schema) and the W3C Feed Validation Service itself (../shared/feedvalidator
beside the checkout, or FEEDVALIDATOR_DIR).

Expected values are computed from the posts each test writes, never pasted from output."""
import datetime as dt
import html
import json
import os
import pathlib
import re
import signal
import subprocess
import sys
import time
from urllib.parse import unquote

import feedparser
import pytest

import synthetic_posts

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "Tests" / "peers" / "schema" / "atom.rng"
BASE = "https://weekly.example.org/"
CST = dt.timezone(dt.timedelta(hours=8))
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# ---------------------------------------------------------------- helpers

def one_line(s):
    """What a title or tag becomes in a feed: forbidden characters gone, whitespace runs one space."""
    return " ".join(XML_FORBIDDEN.sub("", s).split())


def write_publication(root, posts, entries=20, content="full", extra=""):
    """A publication folder with herald.yml and one Markdown file per post dict."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "herald.yml").write_text(
        "title: 测试周报 Test Weekly\n"
        "description: 边界情况 & <edge> cases\n"
        f"base_url: {BASE}\n"
        "language: zh-CN\n"
        "timezone: Asia/Shanghai\n"
        "author:\n  name: 周报编辑组\n  uri: https://weekly.example.org/about/\n"
        f"feeds:\n  entries: {entries}\n  content: {content}\n{extra}", encoding="utf-8")
    (root / "posts").mkdir(exist_ok=True)
    for p in posts:
        write_post(root, p)
    return root


def q(s):
    """A YAML double-quoted scalar (JSON's escapes are YAML's)."""
    return json.dumps(s, ensure_ascii=False)


def write_post(root, p):
    fm = ["---", f"title: {q(p['title'])}", f"slug: {p['slug']}", f"date: {p['date'].isoformat()}"]
    if "author" in p:
        fm += [f"author: {q(p['author'])}", f"authorlink: {q(p['authorlink'])}"]
    if p.get("tags") is not None:
        fm.append("tags: [" + ", ".join(q(t) for t in p["tags"]) + "]")
    if p.get("categories"):
        fm.append("categories: [" + ", ".join(q(c) for c in p["categories"]) + "]")
    if "description" in p:
        fm.append(f"description: {q(p['description'])}")
    if p.get("draft"):
        fm.append("draft: true")
    if p.get("cover"):
        fm.append(f"cover: {q(p['cover'])}")
    fm += ["---", "", p.get("body", "正文。\n")]
    (root / "posts" / f"{p['slug']}.md").write_text("\n".join(fm), encoding="utf-8")


def post(n, **kw):
    p = dict(slug=f"weekly-{n:03d}", title=f"社区周报 第 {n} 期 | Weekly #{n}",
             date=dt.datetime(2020, 1, 3, 15, 0, tzinfo=CST) + dt.timedelta(days=7 * n),  # all past up to n = 300
             author="张三", authorlink="https://github.com/zhangsan",
             tags=["SOFA Weekly", "开源之夏"], categories=["周报"],
             description=f"第 {n} 期摘要：本周社区动态。",
             body=f"## 本周精选 {n}\n\n社区动态第 {n} 期，欢迎参与。\n\n![图](images/{n}.png)\n",
             marker=f"社区动态第 {n} 期，欢迎参与。")
    p.update(kw)
    return p


def permalink(p):
    return f"{BASE}posts/{p['slug']}/"


def state_dir(out):
    """Where builds into `out` keep their record: beside the output, never in it."""
    out = pathlib.Path(out)
    return out.parent / f"{out.name}-state"


def build(herald, pub, out, *args, check=True):
    return herald("build", pub, "--out", out, "--state-dir", state_dir(out), *args, check=check)


def feed_files(out):
    return sorted(p for p in pathlib.Path(out).rglob("*.xml"))


def all_feed_files(out):
    """Atom, RSS and JSON Feed files."""
    return sorted(p for p in pathlib.Path(out).rglob("*") if p.name in ("atom.xml", "rss.xml", "feed.json"))


def assert_well_formed(out):
    files = feed_files(out)
    assert files, f"no feeds in {out}"
    xmllint = subprocess.run(["xmllint", "--noout", *map(str, files)], capture_output=True, text=True)
    assert xmllint.returncode == 0, xmllint.stderr
    atoms = [str(f) for f in files if f.name == "atom.xml"]
    rng = subprocess.run(["xmllint", "--noout", "--relaxng", str(SCHEMA), *atoms], capture_output=True, text=True)
    assert rng.returncode == 0, rng.stderr
    for f in files:
        parsed = feedparser.parse(str(f))
        assert parsed.bozo == 0, f"{f}: {parsed.get('bozo_exception')}"
    return files


def parse(out, rel):
    parsed = feedparser.parse(str(pathlib.Path(out) / rel))
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return parsed


def published(posts, now=None):
    now = now or dt.datetime.now(dt.timezone.utc)
    live = [p for p in posts if not p.get("draft") and p["date"] <= now]
    return sorted(live, key=lambda p: p["date"], reverse=True)


def utc_tuple(d):
    return d.astimezone(dt.timezone.utc).timetuple()[:6]


def tag_free(text):
    """An RSS title: what looks like a tag left out (RSS cannot declare a title as HTML), the words kept."""
    words = " ".join(re.sub(r"<[A-Za-z/!?][^>]*>", "", text).split())
    return words or text


def check_entries(parsed, expected, fmt):
    assert len(parsed.entries) == len(expected)
    for entry, p in zip(parsed.entries, expected):
        # A title that looks like markup is HTML (declared in Atom; RSS 2.0 leaves it open and
        # feedparser guesses): compare what a reader displays.
        title = html.unescape(entry.title) if entry.title_detail.type == "text/html" else entry.title
        assert title == (one_line(p["title"]) if fmt == "atom" else tag_free(one_line(p["title"])))
        assert entry.link == permalink(p)
        assert tuple(entry.published_parsed)[:6] == utc_tuple(p["date"])
        terms = [t.term for t in entry.get("tags", [])]
        assert terms == [one_line(c) for c in p.get("categories", [])] + [one_line(t) for t in p.get("tags") or []]
        assert entry.author == one_line(p["author"])
        assert p["marker"] in entry.content[0].value
        # Relative image made absolute against the permalink.
        assert f'src="{permalink(p)}images/' in entry.content[0].value
        if fmt == "atom":
            assert entry.id == permalink(p)
            assert entry.summary == p["description"]
        else:
            assert entry.id == permalink(p)  # the guid


# ---------------------------------------------------------------- the example publication

def test_example_publication_feeds_are_valid_and_complete(herald, example_copy, tmp_path):
    out = tmp_path / "out"
    build(herald, example_copy, out)
    files = assert_well_formed(out)
    assert out / "atom.xml" in files and out / "rss.xml" in files
    # Count the example's published posts from its own front matter.
    yaml = pytest.importorskip("yaml", reason="PyYAML reads the example's front matter")
    posts = []
    for md in sorted((example_copy / "posts").rglob("*.md")):
        text = md.read_text(encoding="utf-8")
        fm = yaml.safe_load(text.split("---", 2)[1])
        posts.append(fm)
    now = dt.datetime.now(dt.timezone.utc)

    def aware(d):
        if isinstance(d, str):
            d = dt.datetime.fromisoformat(d)
        if isinstance(d, dt.date) and not isinstance(d, dt.datetime):
            d = dt.datetime(d.year, d.month, d.day)
        return d if d.tzinfo else d.replace(tzinfo=CST)

    live = [p for p in posts if not p.get("draft") and aware(p["date"]) <= now]
    for rel in ("atom.xml", "rss.xml"):
        parsed = parse(out, rel)
        assert len(parsed.entries) == min(20, len(live))
        assert [e.title for e in parsed.entries] == [
            one_line(str(p["title"])) for p in sorted(live, key=lambda p: aware(p["date"]), reverse=True)[:20]]
        assert parsed.feed.language.lower() == "zh-cn"


# ---------------------------------------------------------------- content edges

EDGE_TITLES = [
    "a <b>bold</b> & ]]> \"quoted\" 'single' ]]]]><![CDATA[ x",
    "第一行\r\n第二行\n第三行\r第四行",
    "控制\u0001字符\u0008与\u000b竖\u000c表\u001f",
    "🚀 发布 𠀋𡈽 👩\u200d👩\u200d👧 \U0001D11E é",
]


@pytest.fixture
def edge_pub(tmp_path):
    posts = [post(i + 1, title=t) for i, t in enumerate(EDGE_TITLES)]
    posts.append(post(10, tags=None, categories=[], title="没有标签 no tags"))
    posts.append(post(11, tags=["开源之夏", "SOFA Weekly", "C++", "C#", "🚀"],
                      cover="https://img.example.org/cover/1.jpg",
                      body="## 代码\n\n包含 ]]> 和 <em>行内 HTML</em> 以及 `x]]>y`。\n\n![图](images/11.png)\n",
                      marker="包含 ]]&gt; 和"))
    posts.append(post(12, draft=True, title="草稿 draft"))
    posts.append(post(13, date=dt.datetime(2100, 1, 1, tzinfo=CST), title="未来 future"))
    return write_publication(tmp_path / "edge", posts), posts


@pytest.mark.parametrize("fmt", ["atom", "rss"])
def test_edge_posts_survive_feedparser(herald, edge_pub, tmp_path, fmt):
    pub, posts = edge_pub
    out = tmp_path / "out"
    build(herald, pub, out)
    assert_well_formed(out)
    parsed = parse(out, f"{fmt}.xml")
    check_entries(parsed, published(posts), fmt)
    titles = [e.title for e in parsed.entries]
    assert "草稿 draft" not in titles and "未来 future" not in titles
    raw = (out / f"{fmt}.xml").read_bytes()
    assert b"<![CDATA[" not in raw.replace(b"&lt;![CDATA[", b"")
    assert not XML_FORBIDDEN.search(raw.decode("utf-8"))


def test_tag_feeds_have_distinct_percent_safe_urls(herald, edge_pub, tmp_path):
    pub, posts = edge_pub
    out = tmp_path / "out"
    build(herald, pub, out)
    live = published(posts)
    tags = {t for p in live for t in (p.get("tags") or [])}
    folders = [d for d in (out / "tags").iterdir() if d.is_dir()]
    assert len(folders) == len(tags)  # C++ and C# do not share a folder
    found = set()
    for d in folders:
        assert d.name == d.name.lower() and " " not in d.name and "%" not in d.name
        for fmt in ("atom", "rss"):
            parsed = parse(out, f"tags/{d.name}/{fmt}.xml")
            self_href = next(link.href for link in parsed.feed.links if link.rel == "self")
            assert self_href.isascii() and unquote(self_href) == f"{BASE}tags/{d.name}/{fmt}.xml"
            tag = parsed.feed.title.split(" · ")[0]
            with_tag = [p for p in live if tag in (p.get("tags") or [])]
            assert [e.link for e in parsed.entries] == [permalink(p) for p in with_tag]
            assert all(tag in [t.term for t in e.tags] for e in parsed.entries)
        found.add(tag)
    assert found == tags
    assert (out / "tags" / "开源之夏" / "rss.xml").exists()
    assert (out / "tags" / "sofa-weekly" / "rss.xml").exists()


def test_cover_is_a_media_thumbnail(herald, edge_pub, tmp_path):
    pub, posts = edge_pub
    out = tmp_path / "out"
    build(herald, pub, out)
    for fmt in ("atom", "rss"):
        entry = next(e for e in parse(out, f"{fmt}.xml").entries if e.link.endswith("/weekly-011/"))
        assert entry.media_thumbnail[0]["url"] == "https://img.example.org/cover/1.jpg"


def test_summary_mode_has_no_full_content(herald, tmp_path):
    pub = write_publication(tmp_path / "pub", [post(1), post(2)], content="summary")
    out = tmp_path / "out"
    build(herald, pub, out)
    assert_well_formed(out)
    for fmt in ("atom", "rss"):
        for entry, p in zip(parse(out, f"{fmt}.xml").entries, published([post(1), post(2)])):
            assert "content" not in entry
            assert entry.summary == p["description"]


def test_one_post(herald, tmp_path):
    posts = [post(1)]
    out = tmp_path / "out"
    build(herald, write_publication(tmp_path / "pub", posts), out)
    assert_well_formed(out)
    check_entries(parse(out, "atom.xml"), posts, "atom")
    check_entries(parse(out, "rss.xml"), posts, "rss")


def test_zero_posts_give_valid_empty_feeds(herald, tmp_path):
    out = tmp_path / "out"
    build(herald, write_publication(tmp_path / "pub", []), out)
    files = assert_well_formed(out)
    assert [f.relative_to(out).as_posix() for f in files] == ["atom.xml", "rss.xml"]
    for rel in ("atom.xml", "rss.xml"):
        parsed = parse(out, rel)
        assert parsed.entries == []
        assert parsed.feed.title == "测试周报 Test Weekly"


def test_entries_limit_and_zero_means_all(herald, tmp_path):
    posts = [post(i) for i in range(1, 8)]
    for entries, expected in ((3, 3), (0, 7)):
        out = tmp_path / f"out{entries}"
        build(herald, write_publication(tmp_path / f"pub{entries}", posts, entries=entries), out)
        for fmt in ("atom", "rss"):
            check_entries(parse(out, f"{fmt}.xml"), published(posts)[:expected], fmt)


# ---------------------------------------------------------------- build behaviour

def snapshot(out):
    return {p.relative_to(out).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in pathlib.Path(out).rglob("*") if p.is_file()}


def test_same_posts_give_identical_bytes(herald, tmp_path):
    pub = write_publication(tmp_path / "pub", [post(i) for i in range(1, 6)])
    build(herald, pub, tmp_path / "a")
    build(herald, pub, tmp_path / "b")
    a = {k: v[0] for k, v in snapshot(tmp_path / "a").items() if k.endswith(".xml")}
    b = {k: v[0] for k, v in snapshot(tmp_path / "b").items() if k.endswith(".xml")}
    assert a == b and a


def test_no_change_rebuild_touches_nothing(herald, tmp_path):
    pub = write_publication(tmp_path / "pub", [post(i) for i in range(1, 6)])
    out = tmp_path / "out"
    build(herald, pub, out)
    before = snapshot(out)
    report = json.loads(build(herald, pub, out, "--json").stdout)
    assert report["upToDate"] is True and report["feedsWritten"] == 0
    assert snapshot(out) == before


def test_build_record_is_state_not_published(herald, tmp_path):
    pub = write_publication(tmp_path / "pub", [post(1)])
    out = tmp_path / "out"
    # As an older herald left it, in the published folder.
    out.mkdir()
    (out / ".herald-build.json").write_text("{}", encoding="utf-8")
    build(herald, pub, out)
    # The feeds, and the stylesheet and each feed's page that show them in a browser, nothing else.
    feeds = all_feed_files(out)
    published = feeds + [p.with_name(p.name + ".html") for p in feeds] + [out / "feed.xsl"]
    assert not [p for p in out.rglob("*") if p.is_file() and p not in published]
    record = json.loads((state_dir(out) / "feeds-build.json").read_text(encoding="utf-8"))
    assert sorted(record["files"]) == sorted(p.relative_to(out).as_posix() for p in published)
    assert record["output"] == str(out)
    # Without --state-dir the record goes where the publication's state goes.
    # (The herald fixture gives each test its own XDG_STATE_HOME, tmp_path/xdg-state.)
    proc = herald("build", pub, "--out", tmp_path / "out2")
    assert proc.returncode == 0
    assert (tmp_path / "xdg-state" / "herald" / "pub" / "feeds-build.json").exists()
    assert not (tmp_path / "out2" / ".herald-build.json").exists()


def test_edited_post_rewrites_only_its_feeds_and_vanished_tag_is_removed(herald, tmp_path):
    posts = [post(1, tags=["Layotto"]), post(2, tags=["SOFA Weekly"]), post(3, tags=["SOFA Weekly"])]
    pub = write_publication(tmp_path / "pub", posts)
    out = tmp_path / "out"
    build(herald, pub, out)
    before = snapshot(out)
    write_post(pub, post(1, tags=["SOFA Weekly"], title="改了标题"))
    report = json.loads(build(herald, pub, out, "--json").stdout)
    after = snapshot(out)
    assert "tags/layotto/atom.xml" not in after and not (out / "tags" / "layotto").exists()
    assert report["feedsRemoved"] == 3
    # Post 1 is in the main feed, the category feed and now the SOFA Weekly feed: 9 files.
    assert report["feedsWritten"] == 9
    unchanged = [k for k in after if k.endswith((".xml", ".json")) and after[k] == before.get(k)]
    assert report["feedsUnchanged"] == len(unchanged)
    assert parse(out, "atom.xml").entries[-1].title == "改了标题"


def test_invalid_post_refuses_and_leaves_output(herald, tmp_path):
    pub = write_publication(tmp_path / "pub", [post(1), post(2)])
    out = tmp_path / "out"
    build(herald, pub, out)
    before = snapshot(out)
    bad = pub / "posts" / "bad.md"
    bad.write_text("---\ntitle: 坏日期\ndate: 2023-02-30\n---\n正文\n", encoding="utf-8")
    write_post(pub, post(3))
    proc = build(herald, pub, out, check=False)
    assert proc.returncode == 65
    assert re.search(r"bad\.md:3: .*2023-02-30", proc.stderr), proc.stderr
    assert snapshot(out) == before

    proc = build(herald, pub, out, "--skip-invalid", "--json")
    assert re.search(r"bad\.md:3: ", proc.stderr)
    report = json.loads(proc.stdout)
    assert len(report["problems"]) == 1 and report["postsPublished"] == 3
    check_entries(parse(out, "rss.xml"), published([post(1), post(2), post(3)]), "rss")


def test_summary_line_and_json(herald, tmp_path):
    pub = write_publication(tmp_path / "pub", [post(1), post(2)])
    proc = build(herald, pub, tmp_path / "out")
    assert len(proc.stdout.strip().splitlines()) == 1
    line = proc.stdout.strip()
    files = all_feed_files(tmp_path / "out")
    assert "2 posts" in line and f"{len(files)} written" in line
    report = json.loads(build(herald, pub, tmp_path / "out2", "--json").stdout)
    assert report["feedsWritten"] == len(files) and report["postsLoaded"] == 2


def test_interrupted_build_never_leaves_a_truncated_feed(herald_bin, herald, tmp_path):
    posts = [post(i, body=f"## 本周 {i}\n\n" + "社区动态很多。" * 1000 + "\n") for i in range(1, 301)]
    pub = write_publication(tmp_path / "pub", posts, entries=0)
    out = tmp_path / "out"
    build(herald, pub, out)
    write_post(pub, post(301))
    for delay in (0.05, 0.15, 0.3):
        proc = subprocess.Popen([herald_bin, "build", str(pub), "--out", str(out), "--state-dir", str(state_dir(out))],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert_well_formed(out)
    build(herald, pub, out)
    assert len(parse(out, "atom.xml").entries) == 301
    assert not [p for p in out.rglob(".*tmp-*")], "leftover temporary files are cleaned by the next build"


# ---------------------------------------------------------------- scale

def test_ten_thousand_posts(herald, tmp_path):
    corpus = tmp_path / "corpus"
    tags = synthetic_posts.write(corpus, 10000)
    write_publication(corpus, [], entries=50)
    out = tmp_path / "out"
    first = json.loads(build(herald, corpus, out, "--json").stdout)
    assert first["postsLoaded"] == 10000
    files = assert_well_formed(out)
    assert len([f for f in files if f.parts[-3] == "tags"]) == 2 * len(tags)
    assert len(parse(out, "atom.xml").entries) == 50
    before = snapshot(out)
    again = json.loads(build(herald, corpus, out, "--json").stdout)
    # Up to date: the fingerprint matched, so no post was read. How fast that is
    # lives in bench/feeds.sh and BENCHMARKS.md, not in a test on a shared machine.
    assert again["upToDate"] is True
    assert snapshot(out) == before


# ---------------------------------------------------------------- W3C Feed Validation Service

# Beside the checkout, as in test_w3c_validator.py; FEEDVALIDATOR_DIR names another.
FEEDVALIDATOR_DIR = pathlib.Path(os.environ.get("FEEDVALIDATOR_DIR") or ROOT.parent / "shared" / "feedvalidator")


@pytest.mark.skipif(not (FEEDVALIDATOR_DIR / "src" / "feedvalidator").is_dir(),
                    reason=f"no W3C feed validator at {FEEDVALIDATOR_DIR} (a checkout of w3c/feedvalidator, "
                    "or set FEEDVALIDATOR_DIR)")
def test_w3c_feed_validator_is_clean(herald, tmp_path):
    sys.path.insert(0, str(FEEDVALIDATOR_DIR / "src"))
    import feedvalidator  # noqa: PLC0415
    from feedvalidator import compatibility  # noqa: PLC0415
    from feedvalidator.formatter.text_plain import Formatter  # noqa: PLC0415

    # Every edge post, "<b>bold</b>" titles too: RSS titles leave tags out.
    posts = [post(i + 1, title=t) for i, t in enumerate(EDGE_TITLES)]
    posts += [post(9, title="a < b & c ]]> \"q\" 'x' R&D"), post(10, tags=None, categories=[]),
              post(11, tags=["开源之夏", "C++", "C#", "🚀"], cover="https://img.example.org/cover/1.jpg",
                   body="## 代码\n\n包含 ]]> 和 <em>行内 HTML</em> 以及 `x]]>y`。\n")]
    pub = write_publication(tmp_path / "pub", posts)
    out = tmp_path / "out"
    build(herald, pub, out)
    for f in feed_files(out):
        data = f.read_bytes()
        # Validate as if fetched from its own URL, so rel=self matches the location.
        self_url = re.search(rb'href="([^"]+)" rel="self"|rel="self" type="[^"]+" href="([^"]+)"', data)
        base = (self_url.group(1) or self_url.group(2)).decode()
        events = feedvalidator.validateString(data, firstOccurrenceOnly=1, base=base)["loggedEvents"]
        problems = Formatter(compatibility.AA(events))  # errors and warnings, as the web service shows
        assert not problems, f"{f.relative_to(out)}:\n" + "\n".join(problems)


def test_a_build_and_the_no_change_build_after_it_count_the_same_feeds(herald, example_copy, tmp_path):
    """The summary counts feed files; the stylesheet they share and their HTML pages are not
    feeds, on either line."""
    out = tmp_path / "out"
    first = build(herald, example_copy, out).stdout
    total, written, unchanged = map(int, re.search(r"(\d+) feeds: (\d+) written, (\d+) unchanged", first).groups())
    assert total == written + unchanged
    assert (out / "feed.xsl").exists()
    assert total == len([f for f in out.rglob("*") if f.is_file() and f.suffix != ".html" and f.name != "feed.xsl"])
    again = build(herald, example_copy, out).stdout
    assert "up to date" in again, again
    assert int(re.search(r"(\d+) feeds unchanged", again).group(1)) == total, (first, again)


def test_feeds_name_the_version_herald_prints(herald, example_copy, tmp_path):
    # One version, from one place: `herald --version` and every feed's generator.
    version = herald("--version").stdout.strip()
    assert re.fullmatch(r"\d+\.\d+\.\d+", version), version
    out = tmp_path / "out"
    build(herald, example_copy, out)
    atom = feedparser.parse(str(out / "atom.xml"))
    assert atom.feed.generator_detail.name == "Herald"
    assert atom.feed.generator_detail.version == version
    rss = (out / "rss.xml").read_text(encoding="utf-8")
    assert f"<generator>Herald {version}</generator>" in rss
