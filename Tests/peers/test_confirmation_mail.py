"""The confirmation mail `herald serve` sends for a subscribe request, as a real SMTP
server (aiosmtpd) receives it: one text/plain part that Python's email parser reads
without a defect, under the same wire rules as the digest; the digest's From and
Reply-To; the name the reader typed, encoded in To and plain in the greeting; and the
digest called what `digest.schedule` makes it, on the pages and in the mail."""
import email
import email.policy
import re

import pytest

from test_serve import Site, confirm_link, wait_for

REPLY_TO = '  reply_to: "Editors, News <editors@news.example.org>"\n'


@pytest.fixture
def site(tmp_path, herald_bin, herald):
    made = []

    def make(language="en", **kw):
        s = Site(tmp_path, herald_bin, herald, **kw)
        config = s.pub / "herald.yml"
        config.write_text(config.read_text().replace("language: en\n", f"language: {language}\n"))
        made.append(s)
        return s
    yield make
    for s in made:
        s.stop()


def subscribe(s, address, name=""):
    csrf, cookie = s.form()
    status, _, body = s.post_form("subscribe", {"csrf": csrf, "email": address, "name": name}, cookie)
    assert status == 200, body
    assert wait_for(lambda: s.mails_to(address)), (s.tmp / "serve.log").read_text()
    (raw,) = [r for r in s.recorder.raw_messages() if address.encode() in r]
    return raw, email.message_from_bytes(raw, policy=email.policy.default)


def check_wire(raw, message):
    """What test_digest.py holds every digest to, for a message of one text/plain part."""
    assert message.defects == []
    for part in message.walk():
        assert part.defects == [], part.get_content_type()
    assert not message.is_multipart()
    assert message.get_content_type() == "text/plain"
    assert message.get_content_charset() == "utf-8"
    assert message["Content-Transfer-Encoding"] in ("quoted-printable", "base64")
    assert message["MIME-Version"] == "1.0" and message["Date"] is not None and message["Bcc"] is None
    assert re.fullmatch(r"<notice\.[0-9a-z]+@news\.example\.org>", message["Message-ID"])
    assert all(b < 0x80 for b in raw)
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998
    assert all(len(w) <= 75 for w in re.findall(rb"=\?[^?]+\?[BQ]\?[^?]*\?=", raw))
    for name, value in message.items():
        assert "\r" not in str(value) and "\n" not in str(value), name


def test_confirmation_mail_is_one_text_part_from_the_digests_sender_to_the_name_given(site):
    s = site(extra_yml=REPLY_TO + "  schedule: daily 08:00\n").start()
    name = "Zoë O'Brien, \"Jr.\" =?x?= 周"
    raw, message = subscribe(s, "zoe@example.org", name)
    check_wire(raw, message)
    assert list(message.keys()) == ["From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "Reply-To",
                                    "Auto-Submitted", "Content-Type", "Content-Transfer-Encoding"]
    (sender,) = message["From"].addresses
    assert (sender.display_name, sender.addr_spec) == ("Peer News", "digest@news.example.org")
    (reply,) = message["Reply-To"].addresses
    assert (reply.display_name, reply.addr_spec) == ("Editors, News", "editors@news.example.org")
    (to,) = message["To"].addresses
    assert (to.display_name, to.addr_spec) == (name, "zoe@example.org")
    text = message.get_content().replace("\r\n", "\n")
    assert text.startswith(f"Hello {name},\n")
    assert "Peer News (daily digest)" in text and "weekly" not in text
    assert str(message["Subject"]) == "Confirm your subscription to Peer News"
    # The link in it confirms.
    link = confirm_link(message)
    assert link.startswith(s.base + "confirm?token=")


def test_without_a_name_or_reply_to_the_mail_greets_plainly(site):
    s = site().start()
    raw, message = subscribe(s, "anon@example.org")
    check_wire(raw, message)
    assert message["Reply-To"] is None
    (to,) = message["To"].addresses
    assert (to.display_name, to.addr_spec) == ("", "anon@example.org")
    assert message.get_content().replace("\r\n", "\n").startswith("Hello,\n")


@pytest.mark.parametrize("schedule, language, word, others", [
    ("daily 08:00", "zh-CN", "日报", ["周报", "月报"]),
    ("weekly Fri 15:00", "zh-CN", "周报", ["日报", "月报"]),
    ("monthly last 18:00", "zh-CN", "月报", ["日报", "周报"]),
    ("manual", "zh-CN", "简报", ["日报", "周报", "月报"]),
    ("daily 08:00", "en", "daily digest", ["weekly", "monthly"]),
    ("weekly Fri 15:00", "en", "weekly digest", ["daily", "monthly"]),
    ("monthly 1 09:00", "en", "monthly digest", ["daily", "weekly"]),
    ("manual", "en", "digest", ["daily", "weekly", "monthly"]),
])
def test_pages_and_mail_call_the_digest_what_its_schedule_makes_it(site, schedule, language, word, others):
    s = site(language=language, extra_yml=f"  schedule: {schedule}\n").start()
    _, _, page = s.request("GET", s.path("subscribe"))
    page = page.decode()
    assert word in page and not any(other in page for other in others)
    raw, message = subscribe(s, "reader@example.org", "读者" if language != "en" else "Reader")
    check_wire(raw, message)
    text = message.get_content().replace("\r\n", "\n")
    assert word in text and not any(other in text for other in others)
    assert text.startswith("读者，你好：\n" if language != "en" else "Hello Reader,\n")
