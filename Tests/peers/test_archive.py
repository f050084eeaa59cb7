"""RFC 5005 archive pages (feeds.archive), walked the way a feed reader walks them: with
feedparser, from the subscription feed along prev-archive links to the first page."""
import pathlib
import subprocess

from test_feeds import SCHEMA, build, parse, permalink, post, published, snapshot, write_post, write_publication

HISTORY = "http://purl.org/syndication/history/1.0"


def link(parsed, rel):
    hrefs = [l.href for l in parsed.feed.get("links", []) if l.rel == rel]
    assert len(hrefs) <= 1, hrefs
    return hrefs[0] if hrefs else None


def local(out, url):
    return pathlib.Path(out) / url.removeprefix("https://weekly.example.org/")


def walk(out, first):
    """The pages from the subscription feed `first` back along prev-archive: (path, parsed)."""
    pages = []
    url = link(parse(out, first), "prev-archive")
    while url:
        parsed = parse(out, local(out, url).relative_to(out))
        pages.append((local(out, url), parsed))
        assert len(pages) < 1000, "prev-archive links go round in a circle"
        url = link(parsed, "prev-archive")
    return pages


def check_archive(out, posts, fmt, size):
    subscription = "atom.xml" if fmt == "atom" else "rss.xml"
    live = published(posts)
    pages = walk(out, subscription)
    assert len(pages) == len(live) // size + 1
    seen = [e.link for _, parsed in pages for e in parsed.entries]
    # Every post exactly once, newest first along the walk.
    assert seen == [permalink(p) for p in live]
    for i, (path, parsed) in enumerate(pages):
        number = len(pages) - i
        assert path.name == f"{number}.{'xml' if fmt == 'atom' else 'rss'}"
        assert f'xmlns:fh="{HISTORY}"' in path.read_text(encoding="utf-8")
        assert "<fh:archive/>" in path.read_text(encoding="utf-8")
        assert link(parsed, "current") == f"https://weekly.example.org/{subscription}"
        assert link(parsed, "self").endswith(f"archive/{path.name}")
        # Full pages, oldest first; the newest holds the rest (perhaps none).
        assert len(parsed.entries) == (size if number < len(pages) else len(live) % size)
        newer = link(parsed, "next-archive")
        assert newer == (None if i == 0 else f"https://weekly.example.org/archive/{pages[i - 1][0].name}")
    return pages


def test_walking_the_archive_finds_every_post_once(herald, tmp_path):
    posts = [post(i) for i in range(1, 24)]
    pub = write_publication(tmp_path / "pub", posts, entries=4, extra="  archive: 5\n")
    out = tmp_path / "out"
    build(herald, pub, out)
    # The subscription feed stays feeds.entries long.
    assert len(parse(out, "atom.xml").entries) == 4
    for fmt in ("atom", "rss"):
        check_archive(out, posts, fmt, 5)
    # The archive pages in both formats (their HTML pages, for browsers, are not XML).
    pages = sorted(p for p in (out / "archive").glob("*.*") if p.suffix != ".html")
    lint = subprocess.run(["xmllint", "--noout", *map(str, pages)], capture_output=True, text=True)
    assert lint.returncode == 0, lint.stderr
    atoms = [str(p) for p in pages if p.suffix == ".xml"]
    rng = subprocess.run(["xmllint", "--noout", "--relaxng", str(SCHEMA), *atoms], capture_output=True, text=True)
    assert rng.returncode == 0, rng.stderr


def test_new_posts_leave_full_pages_alone(herald, tmp_path):
    posts = [post(i) for i in range(1, 10)]
    pub = write_publication(tmp_path / "pub", posts, entries=3, extra="  archive: 5\n")
    out = tmp_path / "out"
    build(herald, pub, out)
    for n in (10, 11):  # the 10th fills page 2 (and opens an empty page 3); the 11th lands on page 3
        before = snapshot(out)
        posts.append(post(n))
        write_post(pub, posts[-1])
        build(herald, pub, out)
        after = snapshot(out)
        changed = sorted(k for k in after if after[k] != before.get(k) and k.startswith("archive/"))
        full = (n - 1) // 5
        assert all(int(k.split("/")[1].split(".")[0]) > full for k in changed), changed
        assert after["archive/1.xml"] == before["archive/1.xml"]
        for fmt in ("atom", "rss"):
            check_archive(out, posts, fmt, 5)
    assert not (out / "archive" / "4.xml").exists()


def test_no_archive_by_default(herald, tmp_path):
    out = tmp_path / "out"
    build(herald, write_publication(tmp_path / "pub", [post(1), post(2)]), out)
    assert not (out / "archive").exists()
    assert link(parse(out, "atom.xml"), "prev-archive") is None
