"""The digest as mail software sees it: Python's email parser (policy
`default`), html5lib, and an East-Asian-width ruler for the text part.

`herald digest --out DIR` writes one message as a Maildir; these tests read
it back. Golden files: `HERALD_UPDATE_GOLDEN=1 pytest Tests/peers/test_digest.py`
rewrites them on purpose; otherwise any difference fails."""
import email
import email.policy
import html
import os
import pathlib
import re
import shutil
import subprocess
import time
import unicodedata

import html5lib
import pytest

from conftest import ROOT

FIXTURES = ROOT / "Tests" / "HeraldDigestTests" / "Fixtures" / "digest"
GOLDEN = pathlib.Path(__file__).resolve().parent / "golden"
SECRET = "peer-test-secret-0123456789abcdef"
# Fixed inputs make the golden digests byte-for-byte reproducible.
FIXED = ["--date", "2025-03-14T12:00:00+08:00", "--number", "7"]
HEADER_ORDER = ["From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "List-Id", "List-Unsubscribe",
                "List-Unsubscribe-Post", "Reply-To", "Precedence", "Auto-Submitted", "Content-Type"]

DENIED_ELEMENTS = {"script", "iframe", "object", "embed", "form", "style", "input", "button", "textarea", "select",
                   "svg", "math", "frame", "frameset", "applet", "base", "link", "meta"}
RASTER_DATA = re.compile(r"^data:image/(png|gif|jpeg|webp);base64,", re.I)


class Digest:
    """One `herald digest` run: the raw bytes, the parsed message, its parts."""

    def __init__(self, out, proc):
        files = list((out / "new").iterdir())
        assert len(files) == 1, files
        self.proc = proc
        self.raw = files[0].read_bytes()
        self.message = email.message_from_bytes(self.raw, policy=email.policy.default)
        self.parts = list(self.message.iter_parts())
        # Parts as decoded text, lines joined with \n (CRLF on the wire is checked on `raw`).
        self.text = self.message.get_body(("plain",)).get_content().replace("\r\n", "\n")
        self.html = self.message.get_body(("html",)).get_content().replace("\r\n", "\n")
        self.page = (out / "digest.html").read_text(encoding="utf-8")


@pytest.fixture
def digest(herald, tmp_path):
    def run(publication, *args, env=None):
        out = tmp_path / f"out-{len(list(tmp_path.iterdir()))}"
        env = {"HERALD_UNSUBSCRIBE_SECRET": SECRET, **(env or {})}
        proc = herald("digest", publication, "--out", out, *args, env=env, cwd=ROOT)
        return Digest(out, proc)
    return run


def weekly(digest, *args, env=None):
    return digest(FIXTURES / "weekly", *FIXED, *args, env=env)


def hostile(digest):
    return digest(FIXTURES / "hostile", *FIXED, "--since", "2025-01-01")


def example(digest):
    return digest(ROOT / "feeds" / "example", *FIXED, "--since", "2000-01-01")


def columns(line):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1 for c in line)


# --- the message -----------------------------------------------------------

@pytest.mark.parametrize("publication", ["weekly", "hostile", "example"])
def test_every_message_parses_without_defects(digest, publication):
    path = ROOT / "feeds" / "example" if publication == "example" else FIXTURES / publication
    d = digest(path, *FIXED, "--since", "2000-01-01")
    assert d.message.defects == []
    for part in d.message.walk():
        assert part.defects == [], part.get_content_type()
    assert [p.get_content_type() for p in d.parts] == ["text/plain", "text/html"]


def test_subject_and_display_names_decode_to_the_originals(digest):
    d = weekly(digest)
    assert str(d.message["Subject"]) == "开源社区周报 第 7 期：2 篇新文章"
    assert str(d.message["From"]) == "开源社区周报 <weekly@weekly.example.org>"
    assert d.message["From"].addresses[0].display_name == "开源社区周报"
    assert d.message["Reply-To"].addresses[0].display_name == "Editors, Weekly"
    assert d.message["List-Id"] == "开源社区周报 <weekly.example.org>"


def test_headers_in_fixed_order_and_wire_format(digest):
    d = weekly(digest)
    assert list(d.message.keys()) == HEADER_ORDER
    assert d.message["Date"] == "Fri, 14 Mar 2025 12:00:00 +0800"
    assert d.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert re.fullmatch(r"<digest\.7\.[0-9a-f]{20}@weekly\.example\.org>", d.message["Message-ID"])
    # 7-bit on the wire, CRLF only, no line over 998 octets.
    assert all(b < 0x80 for b in d.raw)
    assert b"\n" not in d.raw.replace(b"\r\n", b"")
    assert max(len(line) for line in d.raw.split(b"\r\n")) <= 998
    # Encoded words are at most 75 characters.
    assert all(len(w) <= 75 for w in re.findall(rb"=\?[^?]+\?[BQ]\?[^?]*\?=", d.raw))


def test_alternative_parts_plain_first_html_last(digest):
    d = weekly(digest)
    assert d.message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in d.parts] == ["text/plain", "text/html"]
    for part in d.parts:
        assert part.get_content_charset() == "utf-8"
        assert part["Content-Transfer-Encoding"] in ("quoted-printable", "base64")
    boundary = d.message.get_boundary()
    assert boundary and boundary.encode() not in b"".join(p.get_payload().encode() for p in d.parts)


def test_same_inputs_give_the_same_message(digest):
    assert weekly(digest).raw == weekly(digest).raw
    assert weekly(digest, "--to", "other@example.org").message["Message-ID"] != weekly(digest).message["Message-ID"]


def test_title_with_crlf_cannot_inject_a_header(digest):
    d = hostile(digest)
    assert d.message.defects == []
    assert "Bcc" not in d.message
    assert list(d.message.keys()) == [k for k in HEADER_ORDER if k != "Reply-To"]
    assert str(d.message["Subject"]) == "Hello Bcc: evil@x Injected body"
    for name, value in d.message.items():
        assert "\r" not in str(value) and "\n" not in str(value), name
    # Specials in the display names are quoted, not parsed as addresses.
    assert d.message["From"].addresses[0].display_name == "Hostile, Weekly"
    assert d.message["From"].addresses[0].addr_spec == "hostile@hostile.example.org"


# --- the HTML part ---------------------------------------------------------

def parse_html(text):
    parser = html5lib.HTMLParser(tree=html5lib.getTreeBuilder("etree"), namespaceHTMLElements=False)
    tree = parser.parse(text)
    return parser, tree


def test_html_parses_without_errors(digest):
    for d in (weekly(digest), hostile(digest), example(digest)):
        parser, _ = parse_html(d.html)
        assert parser.errors == []


def test_html_holds_nothing_the_sanitizer_denies(digest):
    d = hostile(digest)
    _, tree = parse_html(d.html)
    # The template's own <head> holds <meta>; everything a post brings is in <body>.
    for element in tree.find("body").iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        assert tag not in DENIED_ELEMENTS, tag
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (tag, name)
            if name in ("href", "src"):
                url = value.strip().lower()
                assert not url.startswith(("javascript:", "vbscript:")), value
                assert not url.startswith("data:") or (tag == "img" and RASTER_DATA.match(url)), value
    assert "alert(" not in d.html
    assert "Details text survives." in d.html
    assert '<a href="https://hostile.example.org/ok/"' in d.html


def test_html_is_an_email_layout(digest):
    d = weekly(digest)
    _, tree = parse_html(d.html)
    assert tree.find(".//head/style") is None and tree.find(".//body//style") is None
    assert any("max-width:640px" in t.get("style", "") for t in tree.iter("table"))
    for img in tree.iter("img"):
        assert "alt" in img.attrib
        assert img.get("src", "").startswith(("https://", "http://"))
    links = {a.text: a.get("href") for a in tree.iter("a")}
    # A preview has no subscription: its token (32 hex digits, opaque) is bound to nobody.
    assert re.fullmatch(r"https://weekly\.example\.org/unsubscribe\?token=[0-9a-f]{32}", links["退订"])
    assert links["RSS / Atom 订阅源"].startswith("https://weekly.example.org/")
    assert d.page.strip() == d.html.strip()


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def chromium(*args):
    return subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", *args],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (scripts/bootstrap installs it)")
@pytest.mark.parametrize("width", [375, 1024])
def test_html_fits_phones_and_caps_at_640_on_desktops(digest, tmp_path, width):
    """Lays the HTML part out in Chromium at a phone's and a desktop's width.

    The message goes in an iframe's srcdoc, since headless windows have a minimum
    width and file: iframes are cross-origin. Screenshots are left in tmp_path."""
    d = weekly(digest)
    probe = tmp_path / f"probe-{width}.html"
    probe.write_text(f"""<!DOCTYPE html><html><head><title>pending</title></head><body style="margin:0">
<iframe id="f" style="width:{width}px;height:900px;border:0" srcdoc="{html.escape(d.html, quote=True)}"></iframe>
<script>document.getElementById("f").onload = function () {{
  var doc = this.contentDocument;
  document.title = "scroll=" + doc.documentElement.scrollWidth + ";client=" + doc.documentElement.clientWidth
    + ";card=" + doc.querySelector("table table").offsetWidth;
}};</script></body></html>""", encoding="utf-8")
    dom = chromium("--virtual-time-budget=5000", "--window-size=1200,1000", "--dump-dom", probe.as_uri()).stdout
    found = re.search(r"<title>scroll=(\d+);client=(\d+);card=(\d+)</title>", dom)
    assert found, dom[:500]
    scroll, client, card = map(int, found.groups())
    assert scroll <= client, f"horizontal scrolling at {width}px: {scroll} > {client}"
    assert card == 640 if width >= 700 else card <= client
    shot = tmp_path / f"digest-{width}.png"
    page = tmp_path / "digest.html"
    page.write_text(d.html, encoding="utf-8")
    chromium(f"--window-size={width},2400", f"--screenshot={shot}", page.as_uri())
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# --- the plain-text part ---------------------------------------------------

def is_bare_url(line):
    """A URL alone on its line (maybe as a `[n]` reference) cannot be wrapped."""
    return re.fullmatch(r"(\[\d+\] )?\S+://\S+", line.strip()) is not None


def test_plain_text_lines_fit_78_columns(digest):
    for d in (weekly(digest), hostile(digest), example(digest)):
        for line in d.text.splitlines():
            assert is_bare_url(line) or columns(line) <= 78, line
    assert "[1] https://www.example.org/docs/ark/classloader/" in weekly(digest).text


def test_summary_digest_links_to_posts(digest, tmp_path):
    pub = tmp_path / "weekly-summary"
    shutil.copytree(FIXTURES / "weekly", pub)
    config = pub / "herald.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("content: full", "content: summary"), encoding="utf-8")
    d = digest(pub, *FIXED)
    assert "阅读全文：https://weekly.example.org/blog/release-v2/" in d.text
    assert "go get example.org/mesh" not in d.text
    for line in d.text.splitlines():
        assert is_bare_url(line) or columns(line) <= 78, line


WIDE_TABLE_POST = """---
title: "版本路线图：五个项目的发布计划"
date: 2025-03-13T09:00:00+08:00
---

| 项目 | 负责人 | 状态 | 说明 | 链接 |
| --- | --- | --- | --- | --- |
| Layotto 运行时 | 张三 | 已发布 | 支持 WebAssembly 插件与多运行时 API，配置中心客户端改为延迟初始化 | [发布说明](https://github.com/example-community/layotto/releases/tag/v1.2.0) |
| Ark | 李四 | 开发中 | 模块化类加载隔离，`ClassLoader` 按模块划分，**每个模块**独立升级 | [设计文档](/docs/ark/design/) |
| Mesh | 王五 | 规划中 | 服务网格数据面，兼容 Istio 控制面 | <https://github.com/example-community/mesh/milestones/v3.0-roadmap-and-planning> |

<div class="notice">通知：路线图每月更新，<b>欢迎反馈</b>。</div>

<script>alert("plain text must not show this")</script>
"""


def test_wide_table_in_full_digest_fits_78_columns(digest, tmp_path):
    pub = tmp_path / "weekly-wide"
    shutil.copytree(FIXTURES / "weekly", pub)
    assert "content: full" in (pub / "herald.yml").read_text(encoding="utf-8")
    (pub / "posts" / "2025-03-13-roadmap.md").write_text(WIDE_TABLE_POST, encoding="utf-8")
    d = digest(pub, *FIXED)
    assert "版本路线图" in d.text
    for line in d.text.splitlines():
        assert is_bare_url(line) or columns(line) <= 78, line
    # Every cell of the table is in the text part (values may wrap onto a second line).
    squeezed = re.sub(r"\s+", "", d.text)
    rows = [line for line in WIDE_TABLE_POST.splitlines() if line.startswith("| ") and "---" not in line]
    assert len(rows) == 4
    for row in rows:
        for cell in row.strip("|").split("|"):
            plain = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", cell)  # a link shows its text and a [n] reference
            plain = re.sub(r"[`*<>]", "", plain)
            assert re.sub(r"\s+", "", plain) in squeezed, cell
    assert "[1] https://github.com/example-community/layotto/releases/tag/v1.2.0" in d.text
    assert "https://weekly.example.org/docs/ark/design/" in d.text
    assert "通知：路线图每月更新，欢迎反馈。" in d.text
    assert "alert(" not in d.text


# --- unsubscribe tokens ----------------------------------------------------

def test_token_from_a_sent_message_names_its_subscriber_and_nothing_else(herald, tmp_path):
    """Tokens are opaque and kept per subscription: the link names nobody, `herald token`
    looks it up in the state database, and an altered token is refused."""
    state, maildir = tmp_path / "state", tmp_path / "maildir"
    env = {"HERALD_UNSUBSCRIBE_SECRET": SECRET}
    pub = tmp_path / "weekly"
    shutil.copytree(FIXTURES / "weekly", pub)
    recent = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 3600))
    (pub / "posts" / "fresh.md").write_text(f"---\ntitle: Fresh\ndate: {recent}\n---\nNew.\n")
    herald("subscribers", pub, "add", "Reader.One@example.com", "--state-dir", state)
    herald("send", pub, "--dry-run", "--out", maildir, "--state-dir", state, env=env)
    (path,) = list((maildir / "new").iterdir())
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    link = re.search(r"<(https://[^>]+)>", message["List-Unsubscribe"]).group(1)
    token = link.split("token=")[1]
    assert re.fullmatch(r"[0-9a-f]{32}", token) and "reader" not in link.lower()
    verify = ("token", "verify", pub)
    assert herald(*verify, token, "--state-dir", state).stdout == "Reader.One@example.com\n"
    assert herald(*verify, link, "--state-dir", state).stdout == "Reader.One@example.com\n"
    assert herald("token", "make", pub, "Reader.One@example.com", "--state-dir", state).stdout == token + "\n"
    tampered = token[:-2] + ("00" if not token.endswith("00") else "11")
    bad = herald(*verify, tampered, "--state-dir", state, check=False)
    assert bad.returncode == 65 and bad.stdout == "" and "not valid" in bad.stderr


def test_without_a_secret_the_preview_is_marked(digest):
    d = weekly(digest, env={"HERALD_UNSUBSCRIBE_SECRET": ""})
    assert "X-Herald-Preview" in d.message
    assert "preview secret" in d.proc.stderr
    assert "预览：本邮件中的退订链接无效。" in d.html and "预览：本邮件中的退订链接无效。" in d.text
    assert "预览" not in weekly(digest).html


# --- the command -----------------------------------------------------------

def test_no_posts_no_digest(herald, tmp_path):
    out = tmp_path / "out"
    proc = herald("digest", FIXTURES / "weekly", "--out", out, "--since", "2030-01-01", "--date", "2030-02-01")
    assert "no posts" in proc.stdout
    assert not out.exists()


def test_built_in_templates_serve_anywhere_and_a_wrong_folder_is_an_error(herald, tmp_path):
    """Run from elsewhere with no HERALD_TEMPLATES: the templates built into the binary."""
    env = {"HERALD_UNSUBSCRIBE_SECRET": SECRET, "HERALD_TEMPLATES": ""}
    herald("digest", FIXTURES / "weekly", "--out", tmp_path / "out", *FIXED, env=env, cwd=tmp_path)
    assert len(list((tmp_path / "out" / "new").iterdir())) == 1
    wrong = herald("digest", FIXTURES / "weekly", "--out", tmp_path / "out2", *FIXED, "--templates", tmp_path,
                   env=env, check=False)
    assert wrong.returncode == 78 and str(tmp_path) in wrong.stderr


def test_posts_limit_keeps_the_newest(digest):
    d = weekly(digest, "--since", "2025-01-01", "--posts", "1")
    assert str(d.message["Subject"]) == "开源社区周报 第 7 期：1 篇新文章"
    assert "Mesh v2.0" in d.text and "Ark 社区会议预告" not in d.text


def test_template_error_names_file_and_line(herald, tmp_path):
    pub = tmp_path / "weekly"
    shutil.copytree(FIXTURES / "weekly", pub)
    (pub / "templates").mkdir()
    (pub / "templates" / "post.html.mustache").write_text("<tr>\n<td>\n{{#cover}}\n<img src=\"{{cover}}\">\n</td></tr>\n")
    proc = herald("digest", pub, "--out", tmp_path / "out", *FIXED, check=False,
                  env={"HERALD_UNSUBSCRIBE_SECRET": SECRET})
    assert proc.returncode == 78
    assert re.search(r"templates/post\.html\.mustache:\d+: ", proc.stderr), proc.stderr


# --- golden files ----------------------------------------------------------

GOLDEN_CASES = {
    "weekly": (FIXTURES / "weekly", FIXED),
    "example": (ROOT / "feeds" / "example", FIXED[:2] + ["--since", "2000-01-01", "--number", "1"]),
}


@pytest.mark.parametrize("name", sorted(GOLDEN_CASES))
def test_golden_digest(digest, name):
    publication, args = GOLDEN_CASES[name]
    if not (publication / "herald.yml").exists():
        pytest.skip(f"{publication} is not in this checkout")
    d = digest(publication, *args)
    for suffix, actual in (("txt", d.text), ("html", d.html)):
        path = GOLDEN / f"{name}-digest.{suffix}"
        if os.environ.get("HERALD_UPDATE_GOLDEN") == "1":
            path.write_text(actual, encoding="utf-8")
        assert path.exists(), f"{path} missing: run with HERALD_UPDATE_GOLDEN=1 to create it"
        assert actual == path.read_text(encoding="utf-8"), f"{path} differs (HERALD_UPDATE_GOLDEN=1 to accept)"
