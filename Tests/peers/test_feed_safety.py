"""Safe content: a post full of active content (Tests/peers/fixtures/active-content) built
into Atom, RSS and JSON Feed. feedparser reads the feeds with its own sanitizer off (so what
it hands over is what the file says), html5lib parses each HTML field as a browser would,
and no script, frame, style, form, event handler or javascript:/data: URL (other than a
raster data: image) may be left, while the post's ordinary text and links are."""
import json
import pathlib
import re
import shutil

import feedparser
import html5lib
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "Tests" / "peers" / "fixtures" / "active-content"

ACTIVE_ELEMENTS = {"script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input",
                   "button", "textarea", "select", "svg", "math", "base", "link", "meta", "noscript", "video",
                   "audio", "source", "template"}
URL_ATTRIBUTES = {"href", "src", "srcset", "action", "formaction", "background", "poster", "data", "xlink:href"}
RASTER_DATA = re.compile(r"data:image/(png|gif|jpeg|webp);base64,", re.I)


def scheme(url):
    # As a browser reads it: C0 controls and spaces trimmed, tabs and newlines removed.
    cleaned = re.sub(r"[\t\n\r]", "", url.strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f \n\t\r"))
    m = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", cleaned)
    return (m.group(1).lower() if m else ""), cleaned


def active_content(fragment):
    """Every active thing html5lib finds in an HTML fragment, as readable strings."""
    found = []
    tree = html5lib.parseFragment(fragment, treebuilder="etree", namespaceHTMLElements=False)
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        name = el.tag.split("}")[-1].lower()
        if name in ACTIVE_ELEMENTS:
            found.append(f"<{name}>")
        for attr, value in el.attrib.items():
            attr = attr.split("}")[-1].lower()
            if attr.startswith("on") or attr == "style":
                found.append(f"{name}@{attr}")
            if attr in URL_ATTRIBUTES or attr.endswith("href"):
                s, cleaned = scheme(value)
                if s in ("http", "https", "mailto", ""):
                    continue
                if s == "data" and name == "img" and attr == "src" and RASTER_DATA.match(cleaned):
                    continue
                found.append(f"{name}@{attr}={value}")
    return found


def html_fields(path):
    """(field, HTML) for every field of the feed a reader renders as HTML."""
    if path.suffix == ".json":
        doc = json.loads(path.read_text(encoding="utf-8"))
        fields = []
        for item in doc["items"]:
            fields += [(f"{item['id']} content_html", item.get("content_html", ""))]
        return fields
    parsed = feedparser.parse(str(path), sanitize_html=False, resolve_relative_uris=False)
    assert not parsed.bozo, f"{path}: {parsed.bozo_exception}"
    fields = []
    for entry in parsed.entries:
        for c in entry.get("content", []):
            fields.append((f"{entry.id} content", c.value))
        if "summary" in entry:
            fields.append((f"{entry.id} summary", entry.summary))
    return fields


@pytest.fixture
def built(herald, tmp_path):
    pub = tmp_path / "pub"
    shutil.copytree(FIXTURE, pub)
    out = tmp_path / "out"
    herald("build", pub, "--out", out, "--state-dir", tmp_path / "state")
    return out


def test_the_fixture_is_hostile_before_herald():
    # The check below finds the fixture's attacks when handed the post itself.
    source = (FIXTURE / "posts" / "2025-03-10-everything.md").read_text(encoding="utf-8")
    found = " ".join(active_content(source.split("---", 2)[2]))
    for needle in ("<script>", "<iframe>", "<style>", "<object>", "<embed>", "<svg>", "<form>", "p@onclick",
                   "img@onerror", "a@href=javascript:", "a@href=data:", "img@src=data:image/svg", "td@background"):
        assert needle in found, needle


def test_no_feed_carries_active_content(built):
    files = sorted(p for p in built.rglob("*") if p.name in ("atom.xml", "rss.xml", "feed.json"))
    # The publication's feeds and its tag's, each in the three formats.
    assert len(files) == 6, files
    for path in files:
        fields = html_fields(path)
        assert fields, f"{path}: no HTML field"
        content = " ".join(html for name, html in fields if name.endswith("content") or name.endswith("content_html"))
        for name, html in fields:
            assert not active_content(html), f"{path.relative_to(built)} {name}: {active_content(html)}"
        # What the post says in plain HTML is still there, links made absolute.
        for marker in ("SAFE-MARKER-1", "SAFE-MARKER-2", "SAFE-MARKER-3", "SAFE-MARKER-4", "details body", "cell"):
            assert marker in content, f"{path.relative_to(built)} lost {marker}"
        assert 'href="https://ok.example.org/page"' in content
        assert 'href="https://active.example.org/posts/other/"' in content
        assert 'src="data:image/png;base64,iVBORw0KGgo' in content
        assert 'src="https://ok.example.org/a.png"' in content


def test_front_matter_urls_are_checked_too(built):
    atom = (built / "atom.xml").read_text(encoding="utf-8")
    rss = (built / "rss.xml").read_text(encoding="utf-8")
    doc = json.loads((built / "feed.json").read_text(encoding="utf-8"))
    assert "javascript:" not in atom.lower() and "javascript:" not in rss.lower()
    item = doc["items"][0]
    assert "image" not in item
    assert all("url" not in a for a in item["authors"])
    # The author's name stays; only the link is gone.
    assert item["authors"][0]["name"] == "Mallory"
    assert "<name>Mallory</name>" in atom
