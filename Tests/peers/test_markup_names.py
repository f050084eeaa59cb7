"""Names that hold markup as text (Tests/peers/fixtures/markup-names): titles, authors,
categories and tags with `<b>`, `]]>`, `&` and `<script>`. Herald reads them as text. Atom
titles say the whole text (escaped HTML, `type="html"`) and JSON Feed's fields are plain
text; RSS titles and categories, `dc:creator`, Atom names and category labels cannot say
"this is text", so their tags are left out and the words stay. feedparser (sanitizer off)
reads each back, shown as a reader would show it; test_w3c_validator.py holds the same
fixture to no warning."""
import json
import pathlib
import shutil

import feedparser
import html5lib
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "Tests" / "peers" / "fixtures" / "markup-names"

BOLD = "Ends ]]> here & <b>bold</b>"
SCRIPT = "<script>alert('title')</script> R&D &amp; &copy; 1 < 2 > 0"
# What each title reads as where tags are left out.
BOLD_WORDS = "Ends ]]> here & bold"
SCRIPT_WORDS = "alert('title') R&D &amp; &copy; 1 < 2 > 0"


def shown(detail):
    """The text a reader shows for a feedparser text construct: HTML as a browser renders it."""
    if detail.type != "text/html":
        return detail.value
    fragment = html5lib.parseFragment(detail.value, treebuilder="etree", namespaceHTMLElements=False)
    return "".join(fragment.itertext())


@pytest.fixture(scope="module")
def built(herald_bin, tmp_path_factory):
    import subprocess  # noqa: PLC0415
    tmp = tmp_path_factory.mktemp("markup-names")
    pub = tmp / "pub"
    shutil.copytree(FIXTURE, pub)
    out = tmp / "out"
    subprocess.run([herald_bin, "build", str(pub), "--out", str(out), "--state-dir", str(tmp / "state")],
                   check=True, capture_output=True)
    return out


def parse(path):
    parsed = feedparser.parse(str(path), sanitize_html=False, resolve_relative_uris=False)
    assert not parsed.bozo, f"{path}: {parsed.bozo_exception}"
    return parsed


def test_atom_titles_are_the_whole_text(built):
    feed = parse(built / "atom.xml")
    assert shown(feed.feed.title_detail) == "Markup <i>Names</i> & Co"
    assert [shown(e.title_detail) for e in feed.entries] == [SCRIPT, BOLD]


def test_atom_names_and_labels_leave_tags_out(built):
    feed = parse(built / "atom.xml")
    assert [e.author for e in feed.entries] == ["alert('author')", "Bob Bold & Sons"]
    bold = feed.entries[1]
    # The term is the category itself (its feed's name); a reader shows the label, if any.
    assert [t.term for t in bold.tags] == ["<b>News</b> & Views", "a]]>b", "<script>alert(1)</script>"]
    assert [t.get("label") or t.term for t in bold.tags] == ["News & Views", "a]]>b", "alert(1)"]
    assert [t.get("label") or t.term for t in feed.entries[0].tags] == ["Q&A", "x<y", "&lt;escaped&gt;"]


def test_rss_titles_names_and_categories_leave_tags_out(built):
    feed = parse(built / "rss.xml")
    # RSS titles are plain text (the RSS Profile): feedparser hands over the text as the file
    # says it, whatever it guesses the type to be.
    assert feed.feed.title == "Markup Names & Co"
    assert [e.title for e in feed.entries] == [SCRIPT_WORDS, BOLD_WORDS]
    assert [e.author for e in feed.entries] == ["alert('author')", "Bob Bold & Sons"]
    assert [t.term for t in feed.entries[1].tags] == ["News & Views", "a]]>b", "alert(1)"]
    assert [t.term for t in feed.entries[0].tags] == ["Q&A", "x<y", "&lt;escaped&gt;"]


def test_json_feed_says_the_whole_text(built):
    doc = json.loads((built / "feed.json").read_text(encoding="utf-8"))
    assert [i["title"] for i in doc["items"]] == [SCRIPT, BOLD]
    assert [i["authors"][0]["name"] for i in doc["items"]] == ["<script>alert('author')</script>",
                                                              "Bob <b>Bold</b> & Sons"]
    assert doc["items"][1]["tags"] == ["<b>News</b> & Views", "a]]>b", "<script>alert(1)</script>"]


def test_no_tag_feed_is_lost(built):
    # Every category and tag still has its three feeds.
    assert len(list(built.rglob("atom.xml"))) == 1 + 2 + 4
    assert len(list(built.rglob("rss.xml"))) == len(list(built.rglob("feed.json"))) == 7
