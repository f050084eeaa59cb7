"""`herald run`, what the systemd timer starts: feeds, then the digest when due.

Against a real SMTP server (aiosmtpd on loopback): two runs in a row send once
and rewrite nothing; a run killed mid-send is finished by the next one without
resending; bad content and an absent server give the sysexits codes the unit's
status shows."""
import datetime
import json
import os
import signal
import subprocess
import time

import smtp_servers

ENV = {"HERALD_UNSUBSCRIBE_SECRET": "run-test-secret-0123456789abcdef"}


def publication(tmp_path, port, schedule="daily 00:00", posts=3):
    pub = tmp_path / "weekly"
    (pub / "posts").mkdir(parents=True)
    now = datetime.datetime.now(datetime.timezone.utc)
    for i in range(posts):
        date = (now - datetime.timedelta(hours=2 + i)).strftime("%Y-%m-%dT%H:%M:%SZ")
        (pub / "posts" / f"post-{i}.md").write_text(
            f"---\ntitle: 周报 第 {i} 期\ndate: {date}\ntags: [社区会议]\n---\n本周 **新闻** {i}。\n")
    (pub / "herald.yml").write_text(f"""title: Run Weekly
base_url: https://weekly.example.org/
timezone: UTC
digest:
  schedule: {schedule}
  from: digest@weekly.example.org
  unsubscribe_url: https://weekly.example.org/unsubscribe
smtp:
  url: smtp://127.0.0.1:{port}
  starttls: off
  retry_delay: 0
""")
    return pub


def subscribe(herald, pub, count):
    csv = pub.parent / "subscribers.csv"
    csv.write_text("address,name\n" + "".join(f"reader{i}@example.com,Reader {i}\n" for i in range(count)))
    herald("subscribers", pub, "import", csv, "--state-dir", pub / "state")


def run(herald, pub, check=False):
    return herald("run", pub, "--out", pub / "public", "--state-dir", pub / "state", check=check, env=ENV)


def feed_mtimes(pub):
    return {p: p.stat().st_mtime_ns for p in (pub / "public").rglob("*.xml")}


def test_two_runs_send_once_and_rewrite_nothing(herald, tmp_path, smtp_server):
    recorder = smtp_servers.Recorder()
    server = smtp_server(recorder)
    pub = publication(tmp_path, server.port)
    subscribe(herald, pub, 5)
    first = run(herald, pub)
    assert first.returncode == 0, first.stderr
    assert sorted(recorder.recipients()) == sorted(f"reader{i}@example.com" for i in range(5))
    assert (pub / "public" / "atom.xml").exists()
    before = feed_mtimes(pub)

    second = run(herald, pub)
    assert second.returncode == 0, second.stderr
    assert len(recorder.recipients()) == 5, "the second run in the same period must send nothing"
    assert "no digest due" in second.stdout
    assert feed_mtimes(pub) == before, "a no-change run must not rewrite feeds"
    # Each message carries all three posts, subject from the default template.
    _, message = recorder.accepted[0]
    assert message["Subject"] == "Run Weekly #1"
    assert "周报 第 0 期" in message.get_body(("plain",)).get_content()


def test_run_after_crash_finishes_without_resending(herald, herald_bin, tmp_path, smtp_server):
    recorder = smtp_servers.Recorder(delay=0.02)
    server = smtp_server(recorder)
    pub = publication(tmp_path, server.port)
    subscribe(herald, pub, 200)
    proc = subprocess.Popen([herald_bin, "run", str(pub), "--out", str(pub / "public"),
                             "--state-dir", str(pub / "state")],
                            env=dict(os.environ, **ENV), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while len(recorder.recipients()) < 20 and time.time() < deadline:
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert 0 < len(recorder.recipients()) < 200, "the kill must land mid-send"

    finish = run(herald, pub)
    assert finish.returncode == 0, finish.stderr
    report = json.loads(herald("status", pub, "--state-dir", pub / "state", "--json").stdout)
    assert len(report["digests"]) == 1, "the crashed digest is finished, not replaced by a new one"
    counts = report["digests"][0]["deliveries"]
    uncertain = {d["address"] for d in report["uncertain"]}
    assert counts.get("uncertain", 0) == len(uncertain)
    assert counts["sent"] + len(uncertain) == 200
    # Everyone got it once, except possibly the few the crash left uncertain (reported, not resent).
    recorder.assert_each_once([f"reader{i}@example.com" for i in range(200)], uncertain)


def test_invalid_post_exits_65_and_sends_nothing(herald, tmp_path, smtp_server):
    recorder = smtp_servers.Recorder()
    server = smtp_server(recorder)
    pub = publication(tmp_path, server.port)
    subscribe(herald, pub, 2)
    (pub / "posts" / "broken.md").write_text("---\ntitle: no date here\n---\nbody\n")
    proc = run(herald, pub)
    assert proc.returncode == 65
    assert "broken.md" in proc.stderr
    assert recorder.recipients() == []
    assert not (pub / "public" / "atom.xml").exists()


def test_unreachable_server_exits_69_and_keeps_feeds(herald, tmp_path):
    pub = publication(tmp_path, smtp_servers.free_port())  # nothing listens there
    subscribe(herald, pub, 2)
    proc = run(herald, pub)
    assert proc.returncode == 69, proc.stderr
    assert (pub / "public" / "atom.xml").exists(), "feeds are built before the digest is tried"


def test_manual_schedule_builds_feeds_and_sends_nothing(herald, tmp_path, smtp_server):
    recorder = smtp_servers.Recorder()
    server = smtp_server(recorder)
    pub = publication(tmp_path, server.port, schedule="manual")
    subscribe(herald, pub, 2)
    proc = run(herald, pub)
    assert proc.returncode == 0, proc.stderr
    assert "manual" in proc.stdout
    assert recorder.recipients() == []
    assert (pub / "public" / "rss.xml").exists()


def test_bad_schedule_names_the_config(herald, tmp_path):
    pub = publication(tmp_path, smtp_servers.free_port(), schedule="fortnightly")
    proc = run(herald, pub)
    assert proc.returncode == 78
    assert "herald.yml" in proc.stderr and "fortnightly" in proc.stderr


def test_preview_starts_after_the_last_sent_digest(herald, tmp_path, smtp_server):
    recorder = smtp_servers.Recorder()
    server = smtp_server(recorder)
    pub = publication(tmp_path, server.port)
    # A preview with no state database creates none ("no state changes").
    preview = herald("digest", pub, "--out", tmp_path / "p0", "--state-dir", pub / "state", env=ENV)
    assert "#1" in preview.stdout and not (pub / "state").exists()

    subscribe(herald, pub, 2)
    assert run(herald, pub).returncode == 0
    nothing = herald("digest", pub, "--out", tmp_path / "p1", "--state-dir", pub / "state", env=ENV)
    assert "nothing written" in nothing.stdout

    fresh = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    (pub / "posts" / "late.md").write_text(f"---\ntitle: 新的一期\ndate: {fresh}\n---\nlater\n")
    second = herald("digest", pub, "--out", tmp_path / "p2", "--state-dir", pub / "state", env=ENV)
    assert "#2" in second.stdout and "1 post(s)" in second.stdout
    html = (tmp_path / "p2" / "digest.html").read_text()
    assert "新的一期" in html and "周报 第 0 期" not in html


def test_archive_index_is_published_before_the_first_digest(herald, tmp_path, smtp_server):
    """The digest's archive link works from the first build: an index saying no digest has
    been sent yet, from the same archive template that lists them once they are."""
    recorder = smtp_servers.Recorder()
    server = smtp_server(recorder)
    pub = publication(tmp_path, server.port, schedule="manual")
    out = tmp_path / "built"
    herald("build", pub, "--out", out, "--state-dir", pub / "state")
    page = (out / "archive" / "index.html").read_text()
    assert "No digest has been sent yet" in page and "<title>Archive · Run Weekly</title>" in page
    assert not (out / "archive" / "1").exists()

    assert run(herald, pub).returncode == 0
    index = pub / "public" / "archive" / "index.html"
    assert "No digest has been sent yet" in index.read_text()
    subscribe(herald, pub, 2)
    config = pub / "herald.yml"
    config.write_text(config.read_text().replace("schedule: manual", "schedule: daily 00:00"))
    assert run(herald, pub).returncode == 0
    assert len(recorder.recipients()) == 2
    listed = index.read_text()
    assert 'href="1/"' in listed and "No digest has been sent yet" not in listed
    # A later build leaves the index that lists the digests alone.
    assert run(herald, pub).returncode == 0
    assert index.read_text() == listed
