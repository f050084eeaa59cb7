"""The W3C Feed Validation Service (https://github.com/w3c/feedvalidator), run offline on
every feed of feeds/example, the test fixtures and a 2,000-post generated corpus: no error
and no warning, except two Atom entries sharing an `updated` time where their posts
really do (DuplicateUpdated, checked against the feed). The validator is not packaged on
PyPI or in Debian: these tests use the copy beside the checkout, ../shared/feedvalidator
(FEEDVALIDATOR_DIR names another), with html5lib and rdflib from scripts/bootstrap, and
are skipped only where there is none."""
import collections
import os
import pathlib
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
GEN_CORPUS = ROOT.parent / "shared" / "bench" / "gen_corpus.py"
FEEDVALIDATOR_DIR = pathlib.Path(os.environ.get("FEEDVALIDATOR_DIR") or ROOT.parent / "shared" / "feedvalidator")
ATOM = "{http://www.w3.org/2005/Atom}"

pytestmark = pytest.mark.skipif(
    not (FEEDVALIDATOR_DIR / "src" / "feedvalidator").is_dir(),
    reason=f"no W3C feed validator at {FEEDVALIDATOR_DIR} (a checkout of w3c/feedvalidator, "
    "or set FEEDVALIDATOR_DIR): it is on neither PyPI nor Debian")

# Publication folders used as they are (copied first: a build writes nothing beside them,
# but a test never risks the tree).
FIXTURES = [
    ROOT / "feeds" / "example",
    ROOT / "Tests" / "HeraldContentTests" / "Fixtures" / "content" / "weekly",
    ROOT / "Tests" / "HeraldDigestTests" / "Fixtures" / "digest" / "weekly",
    ROOT / "Tests" / "HeraldDigestTests" / "Fixtures" / "digest" / "hostile",
    ROOT / "Tests" / "peers" / "fixtures" / "active-content",
    ROOT / "Tests" / "peers" / "fixtures" / "markup-names",
]


def validator():
    sys.path.insert(0, str(FEEDVALIDATOR_DIR / "src"))
    import feedvalidator  # noqa: PLC0415
    from feedvalidator import compatibility, logging  # noqa: PLC0415
    from feedvalidator.formatter.text_plain import Formatter  # noqa: PLC0415
    return feedvalidator, compatibility, logging, Formatter


def shared_updated(data):
    """Whether two entries of an Atom feed really carry the same `updated`."""
    root = ET.fromstring(data)
    times = [e.findtext(f"{ATOM}updated") for e in root.iter(f"{ATOM}entry")]
    return any(n > 1 for n in collections.Counter(times).values())


def problems_in(out):
    """Every error and warning the validator reports on the XML feeds under `out`, as
    `file: message` lines; and how many files it read."""
    feedvalidator, compatibility, logging, Formatter = validator()
    files = sorted(pathlib.Path(out).rglob("*.xml"))
    found = []
    for f in files:
        data = f.read_bytes()
        # Validated as if fetched from its own URL, so rel=self matches the location.
        self_url = re.search(rb'href="([^"]+)" rel="self"|rel="self" type="[^"]+" href="([^"]+)"', data)
        base = (self_url.group(1) or self_url.group(2)).decode()
        events = feedvalidator.validateString(data, firstOccurrenceOnly=1, base=base)["loggedEvents"]
        events = [e for e in events if not (isinstance(e, logging.DuplicateUpdated) and shared_updated(data))]
        found += [f"{f.relative_to(out)}: {line}" for line in Formatter(compatibility.AA(events))]
    return found, len(files)


def build(herald, pub, out):
    herald("build", pub, "--out", out, "--state-dir", out.parent / f"{out.name}-state")


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_fixture_feed_is_clean(herald, tmp_path, fixture):
    pub = tmp_path / "pub"
    shutil.copytree(fixture, pub)
    out = tmp_path / "out"
    build(herald, pub, out)
    problems, count = problems_in(out)
    assert count >= 2
    assert not problems, "\n".join(problems)


def test_a_generated_corpus_of_2000_posts_is_clean(herald, tmp_path):
    # The generator's posts carry everything a weekly does (tables, inline HTML, Chinese
    # and English, covers); the archive pages hold every one of them in both formats.
    subprocess.run([sys.executable, str(GEN_CORPUS), "--posts", "2000", "--out", str(tmp_path / "corpus")],
                   check=True, capture_output=True)
    pub = tmp_path / "pub"
    pub.mkdir()
    (pub / "herald.yml").write_text(
        "title: SOFA Weekly\ndescription: 每周精选\nbase_url: https://weekly.example.org/\n"
        "language: zh-CN\ntimezone: Asia/Shanghai\nposts: ../corpus/posts\n"
        "feeds:\n  entries: 20\n  content: full\n  archive: 100\n", encoding="utf-8")
    out = tmp_path / "out"
    build(herald, pub, out)
    problems, count = problems_in(out)
    # The publication's feed, 20 archive pages, tag and category feeds; two formats each.
    assert count > 2 * 20
    assert not problems, "\n".join(problems[:50])
