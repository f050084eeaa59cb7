"""feed.json (JSON Feed 1.1) from herald build: validated against the JSON Feed 1.1 schema
(Tests/peers/schema, written from the spec) with jsonschema, read by a feed parser, and
held to the Atom feed of the same folder, which the other tests check against the posts.

feedparser 6.0 (the newest on PyPI) reads no JSON Feed; feedparser-rs, which keeps
feedparser's API and result names, does, so it is the reader here."""
import html
import json
import pathlib
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import feedparser
import feedparser_rs
import jsonschema
import pytest

from test_feeds import build, edge_pub, one_line, parse, permalink, post, published, write_publication  # noqa: F401

SCHEMA = json.loads((pathlib.Path(__file__).parent / "schema" / "jsonfeed-1.1.schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
ATOM = "{http://www.w3.org/2005/Atom}"


class Markup(HTMLParser):
    """The tags, attributes (sorted) and text of an HTML fragment, however it is spelled."""
    def __init__(self):
        super().__init__()
        self.events = []

    def handle_starttag(self, tag, attrs):
        self.events.append(("start", tag, sorted(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        self.events.append(("end", tag))

    def handle_data(self, data):
        if data.strip():
            self.events.append(("text", data.strip()))


def markup(fragment):
    parser = Markup()
    parser.feed(fragment)
    parser.close()
    return parser.events


def json_feeds(out):
    return sorted(pathlib.Path(out).rglob("feed.json"))


def valid(path):
    doc = json.loads(path.read_text(encoding="utf-8"))
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in VALIDATOR.iter_errors(doc)]
    assert not errors, f"{path}:\n" + "\n".join(errors)
    return doc


def test_schema_rejects_what_the_spec_forbids():
    # The schema is ours: it must fail the feeds the spec calls invalid, or it tests nothing.
    good = {"version": "https://jsonfeed.org/version/1.1", "title": "t",
            "items": [{"id": "1", "content_text": "x"}]}
    assert VALIDATOR.is_valid(good)
    for bad in ({**good, "version": "https://jsonfeed.org/version/1"},
                {k: v for k, v in good.items() if k != "title"},
                {**good, "items": [{"content_text": "x"}]},
                {**good, "items": [{"id": "1"}]},
                {**good, "items": [{"id": "1", "content_text": "x", "date_published": "2023-01-01 10:00"}]},
                {**good, "authors": [{}]}):
        assert not VALIDATOR.is_valid(bad), bad


def test_every_json_feed_validates_and_matches_its_atom_feed(herald, edge_pub, tmp_path):
    pub, posts = edge_pub
    out = tmp_path / "out"
    build(herald, pub, out)
    feeds = json_feeds(out)
    # One beside every Atom feed: the publication's, each tag's and each category's.
    assert sorted(f.parent for f in feeds) == sorted(f.parent for f in out.rglob("atom.xml"))
    for path in feeds:
        doc = valid(path)
        folder = path.parent.relative_to(out).as_posix()
        rel = "" if folder == "." else folder + "/"
        atom = parse(out, rel + "atom.xml")
        assert doc["feed_url"] == atom.feed.links[0].href.replace("atom.xml", "feed.json")
        assert doc["language"] == "zh-CN"
        parsed = feedparser_rs.parse(path.read_bytes())
        assert not parsed.bozo, parsed.bozo_exception
        assert parsed.version == "json11"
        assert parsed.feed.title == atom.feed.title
        assert [e.link for e in parsed.entries] == [e.link for e in atom.entries]
        assert [e.id for e in parsed.entries] == [e.id for e in atom.entries]
        # feedparser rewrites the HTML it hands out (attribute order, void tags): the
        # Atom file's own text is what the JSON must carry.
        atom_xml = ET.parse(path.parent / "atom.xml").getroot()
        atom_html = [e.findtext(f"{ATOM}content") for e in atom_xml.iter(f"{ATOM}entry")]
        assert [i["content_html"] for i in doc["items"]] == atom_html
        assert [markup(e.content[0].value) for e in parsed.entries] == [markup(h) for h in atom_html]
        for item, a in zip(doc["items"], atom.entries):
            title = html.unescape(a.title) if a.title_detail.type == "text/html" else a.title
            assert item["title"] == title
            assert item["summary"] == a.summary
            assert item["date_published"] == a.published
            assert item.get("tags", []) == [t.term for t in a.get("tags", [])]
            assert item["authors"] == [{"name": a.author, "url": "https://github.com/zhangsan"}]


def test_json_feed_items_come_from_the_posts(herald, edge_pub, tmp_path):
    pub, posts = edge_pub
    out = tmp_path / "out"
    build(herald, pub, out)
    doc = valid(out / "feed.json")
    live = published(posts)
    assert [i["url"] for i in doc["items"]] == [permalink(p) for p in live]
    for item, p in zip(doc["items"], live):
        assert item["title"] == one_line(p["title"])
        assert p["marker"] in item["content_html"]
        assert item["summary"] == p["description"]
        assert item.get("image") == p.get("cover")
    assert "草稿 draft" not in [i["title"] for i in doc["items"]]


def test_summary_mode_gives_content_text(herald, tmp_path):
    posts = [post(1), post(2)]
    out = tmp_path / "out"
    build(herald, write_publication(tmp_path / "pub", posts, content="summary"), out)
    doc = valid(out / "feed.json")
    for item, p in zip(doc["items"], published(posts)):
        assert "content_html" not in item
        assert item["content_text"] == p["description"]


def test_zero_posts_give_a_valid_empty_json_feed(herald, tmp_path):
    out = tmp_path / "out"
    build(herald, write_publication(tmp_path / "pub", []), out)
    assert valid(out / "feed.json")["items"] == []


def test_example_publication_json_feeds_validate(herald, example_copy, tmp_path):
    out = tmp_path / "out"
    build(herald, example_copy, out)
    for path in json_feeds(out):
        doc = valid(path)
        atom = path.parent / "atom.xml"
        assert len(doc["items"]) == len(feedparser.parse(str(atom)).entries)
