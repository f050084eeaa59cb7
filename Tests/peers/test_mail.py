"""herald send / subscribers / status against real SMTP servers (aiosmtpd, in-process).

Each test builds a publication with one fresh post, subscribes addresses through the
CLI, sends, and checks what the server received against what `herald status --json`
says: every subscriber exactly once, failures recorded, nothing resent after a crash
unless it is reported uncertain."""
import collections
import datetime
import json
import os
import random
import signal
import subprocess
import time

import pytest

import smtp_servers

SECRET = {"HERALD_UNSUBSCRIBE_SECRET": "peer-test-secret-0123456789abcdef"}


def publication(tmp_path, port, extra_smtp="", name="news"):
    pub = tmp_path / name
    (pub / "posts").mkdir(parents=True)
    date = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    (pub / "posts" / "hello.md").write_text(f"---\ntitle: Hello readers\ndate: {date}\n---\nThe first post.\n")
    (pub / "herald.yml").write_text(f"""title: Peer News
base_url: https://news.example.org/
digest:
  from: digest@news.example.org
  unsubscribe_url: https://news.example.org/unsubscribe
smtp:
  url: smtp://127.0.0.1:{port}
  retry_delay: 0
{extra_smtp}""")
    return pub


def subscribe(herald, pub, addresses):
    csv = pub.parent / f"{pub.name}-subscribers.csv"
    csv.write_text("address,name\n" + "".join(f"{a},Reader {i}\n" for i, a in enumerate(addresses)))
    herald("subscribers", pub, "import", csv, "--state-dir", pub / "state")


def send(herald, pub, *args, check=False, env=None, **kw):
    return herald("send", pub, "--state-dir", pub / "state", *args, check=check, env=dict(SECRET, **(env or {})), **kw)


def status(herald, pub):
    return json.loads(herald("status", pub, "--state-dir", pub / "state", "--json").stdout)


def test_starttls_auth_every_subscriber_once_with_headers(herald, tmp_path, smtp_server):
    cert, key = smtp_servers.self_signed_cert(tmp_path)
    recorder = smtp_servers.Recorder()
    server = smtp_server(recorder, tls=(cert, key), auth=("herald", "s3cret pass"))
    pub = publication(tmp_path, server.port, f"  starttls: required\n  username: herald\n  ca_file: {cert}\n")
    addresses = [f"reader{i}@example.com" for i in range(30)] + ["ana@bücher.example"]
    subscribe(herald, pub, addresses)
    result = send(herald, pub, env={"HERALD_SMTP_PASSWORD": "s3cret pass"})
    assert result.returncode == 0, result.stderr
    assert "s3cret" not in result.stdout + result.stderr

    got = collections.Counter(recorder.recipients())
    expected = {a.replace("bücher", "xn--bcher-kva") for a in addresses}
    assert set(got) == expected and set(got.values()) == {1}
    # One TLS session per connection, reused for every message (smtp.connections = 4).
    assert len(recorder.peers) <= 4
    message_ids = set()
    for rcpt, message in recorder.accepted:
        assert message["From"].addresses[0].addr_spec == "digest@news.example.org"
        to = message["To"].addresses[0].addr_spec
        assert to.replace("bücher", "xn--bcher-kva") == rcpt
        assert "Peer News" in str(message["Subject"])
        assert message["Date"] is not None and message["MIME-Version"] == "1.0"
        assert message["Bcc"] is None
        message_ids.add(message["Message-ID"])
    assert len(message_ids) == len(addresses)

    digest = status(herald, pub)["digests"][0]
    assert digest["deliveries"]["sent"] == len(addresses) and digest["complete"]
    # A second run (a timer firing twice) finds nothing new and sends nothing.
    again = send(herald, pub, env={"HERALD_SMTP_PASSWORD": "s3cret pass"})
    assert again.returncode == 0 and "nothing to send" in again.stdout
    assert len(recorder.accepted) == len(addresses)


def test_wrong_password_fails_clearly_and_marks_nothing_sent(herald, tmp_path, smtp_server):
    cert, key = smtp_servers.self_signed_cert(tmp_path)
    recorder = smtp_servers.Recorder()
    server = smtp_server(recorder, tls=(cert, key), auth=("herald", "right"))
    pub = publication(tmp_path, server.port, f"  username: herald\n  ca_file: {cert}\n")
    subscribe(herald, pub, [f"r{i}@example.com" for i in range(5)])
    result = send(herald, pub, env={"HERALD_SMTP_PASSWORD": "wrong"})
    assert result.returncode != 0
    assert "authentication failed" in result.stderr.lower()
    assert "wrong" not in result.stdout + result.stderr
    assert recorder.accepted == []
    counts = status(herald, pub)["digests"][0]["deliveries"]
    assert counts["sent"] == 0 and counts["pending"] == 5 and counts["uncertain"] == 0


def test_smtps_with_password_file(herald, tmp_path, smtp_server):
    cert, key = smtp_servers.self_signed_cert(tmp_path)
    recorder = smtp_servers.Recorder()
    server = smtp_server(recorder, tls=(cert, key), auth=("herald", "filed secret"), implicit_tls=True)
    (tmp_path / "pw").write_text("filed secret\n")
    pub = publication(tmp_path, server.port, f"  username: herald\n  password_file: {tmp_path / 'pw'}\n  ca_file: {cert}\n")
    (pub / "herald.yml").write_text((pub / "herald.yml").read_text().replace("smtp://", "smtps://"))
    subscribe(herald, pub, ["a@example.com", "b@example.com"])
    result = send(herald, pub)
    assert result.returncode == 0, result.stderr
    assert sorted(recorder.recipients()) == ["a@example.com", "b@example.com"]


def test_untrusted_certificate_is_refused(herald, tmp_path, smtp_server):
    cert, key = smtp_servers.self_signed_cert(tmp_path)
    server = smtp_server(smtp_servers.Recorder(), tls=(cert, key))
    pub = publication(tmp_path, server.port, "  starttls: required\n")  # no ca_file
    subscribe(herald, pub, ["a@example.com"])
    result = send(herald, pub)
    assert result.returncode == 69, result.stderr
    assert "tls" in result.stderr.lower()


def test_misbehaving_server_temporary_permanent_and_dropped(herald, tmp_path, smtp_server):
    addresses = [f"user{i}@example.net" for i in range(40)]
    flaky, refused, dropped = addresses[0:6], addresses[6:9], addresses[9:13]
    handler = smtp_servers.Misbehaving(flaky=flaky, refused=refused, dropped=dropped, temp_failures=2)
    server = smtp_server(handler)
    pub = publication(tmp_path, server.port, "  connections: 3\n  retries: 4\n  batch: 4\n")
    subscribe(herald, pub, addresses)
    result = send(herald, pub)
    assert result.returncode == 0, result.stderr
    got = collections.Counter(handler.recipients())
    assert set(got) == set(addresses) - set(refused)
    assert set(got.values()) == {1}
    report = status(herald, pub)
    assert report["digests"][0]["deliveries"]["failed"] == len(refused)
    failed = {d["address"]: d for d in report["failed"]}
    assert set(failed) == set(refused)
    assert all("550" in d["last_reply"] and d["attempts"] == 1 for d in failed.values())
    assert report["subscribers"]["bounced"] == len(refused)  # 5.1.1: the address is wrong
    assert report["uncertain"] == []


def test_retries_used_up_leave_pending_and_exit_75(herald, tmp_path, smtp_server):
    addresses = [f"user{i}@example.net" for i in range(5)]
    handler = smtp_servers.Misbehaving(flaky=addresses[:1], temp_failures=3)
    server = smtp_server(handler)
    pub = publication(tmp_path, server.port, "  retries: 1\n")
    subscribe(herald, pub, addresses)
    first = send(herald, pub)
    assert first.returncode == 75, first.stderr
    report = status(herald, pub)
    assert [d["address"] for d in report["pending_retries"]] == addresses[:1]
    assert report["pending_retries"][0]["attempts"] == 2
    second = send(herald, pub)  # tries 3 (451) and 4 (accepted) in this run
    assert second.returncode == 0, second.stderr
    assert collections.Counter(handler.recipients()) == collections.Counter(addresses)


def test_crash_at_random_moments_never_duplicates(herald_bin, herald, tmp_path, smtp_server, crash_seed):
    recorder = smtp_servers.Recorder()
    server = smtp_server(recorder)
    pub = publication(tmp_path, server.port, "  batch: 10\n")
    addresses = [f"s{i:04d}@example.org" for i in range(2000)]
    subscribe(herald, pub, addresses)
    env = dict(os.environ, **SECRET)
    rng = random.Random(crash_seed)
    kills = 0
    for attempt in range(60):
        proc = subprocess.Popen([herald_bin, "send", pub, "--state-dir", pub / "state"], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            out, err = proc.communicate(timeout=rng.uniform(0.2, 1.2))
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.communicate()
            kills += 1
            continue
        assert proc.returncode == 0, err
        break
    else:
        pytest.fail("the send never finished")
    assert kills >= 2, f"the sender was not interrupted; the test proved nothing (HERALD_CRASH_SEED={crash_seed})"
    report = status(herald, pub)
    counts = report["digests"][0]["deliveries"]
    uncertain = {d["address"] for d in report["uncertain"]}
    assert counts["sent"] + counts["uncertain"] == len(addresses) and counts["pending"] == 0
    # Group commit bounds the damage: at most one batch per connection per kill.
    assert len(uncertain) <= kills * 10 * 4, f"HERALD_CRASH_SEED={crash_seed}"
    recorder.assert_each_once(addresses, uncertain, note=f"(HERALD_CRASH_SEED={crash_seed})")


def test_two_concurrent_sends_one_refuses_with_75(herald_bin, herald, tmp_path, smtp_server):
    recorder = smtp_servers.Recorder(delay=0.02)
    server = smtp_server(recorder)
    pub = publication(tmp_path, server.port, "  connections: 1\n")
    subscribe(herald, pub, [f"c{i}@example.org" for i in range(60)])
    env = dict(os.environ, **SECRET)
    first = subprocess.Popen([herald_bin, "send", pub, "--state-dir", pub / "state"], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    while not recorder.accepted and first.poll() is None:  # the first run holds the lock now
        time.sleep(0.01)
    second = send(herald, pub)
    first.communicate(timeout=60)
    assert first.returncode == 0
    assert second.returncode == 75
    assert "another herald send is running" in second.stderr
    assert sorted(collections.Counter(recorder.recipients()).values()) == [1] * 60


def test_unreachable_server_exits_69_and_keeps_pending(herald, tmp_path):
    pub = publication(tmp_path, smtp_servers.free_port())
    subscribe(herald, pub, ["a@example.com", "b@example.com"])
    result = send(herald, pub)
    assert result.returncode == 69, result.stderr
    assert "failed connections in a row" in result.stderr and "Couldn't connect" in result.stderr
    assert status(herald, pub)["digests"][0]["deliveries"]["pending"] == 2


def test_dry_run_writes_maildir_and_changes_nothing(herald, tmp_path):
    pub = publication(tmp_path, smtp_servers.free_port())
    subscribe(herald, pub, ["a@example.com", "b@example.com"])
    out = tmp_path / "maildir"
    result = send(herald, pub, "--dry-run", "--out", out)
    assert result.returncode == 0, result.stderr
    files = sorted((out / "new").iterdir())
    assert len(files) == 2
    assert b"a@example.com" in files[0].read_bytes()
    assert status(herald, pub)["digests"] == []


def test_subscribers_import_reports_bad_rows_and_normalizes(herald, tmp_path):
    pub = publication(tmp_path, smtp_servers.free_port())
    csv = tmp_path / "people.csv"
    csv.write_text('address,name\nAna@EXAMPLE.org,Ana\nnot-an-address,Nobody\n"bo@x.org","Bo, Jr."\nAna@example.ORG,dup\n'
                   "x@bücher.example,\nbad@@x,\n")
    result = herald("subscribers", pub, "import", csv, "--state-dir", pub / "state", check=False)
    assert result.returncode == 0  # everything readable was imported; the rejects are listed
    assert f'{csv}:3: "not-an-address" is not a valid address' in result.stderr
    assert f"{csv}:7:" in result.stderr
    listed = json.loads(herald("subscribers", pub, "list", "--json", "--state-dir", pub / "state").stdout)
    assert [(s["address"], s["name"]) for s in listed] == [
        ("Ana@example.org", "Ana"), ("bo@x.org", "Bo, Jr."), ("x@bücher.example", None)]
    herald("subscribers", pub, "remove", "bo@X.ORG", "--state-dir", pub / "state")
    exported = herald("subscribers", pub, "export", "--state-dir", pub / "state").stdout
    assert "bo@x.org,\"Bo, Jr.\",unsubscribed" in exported
    again = herald("subscribers", pub, "import", csv, "--state-dir", pub / "state", check=False)
    assert "imported 0" in again.stdout  # the unsubscribed address is not re-added


def test_sigterm_stops_cleanly_leaving_nothing_uncertain(herald_bin, herald, tmp_path, smtp_server):
    recorder = smtp_servers.Recorder(delay=0.01)
    server = smtp_server(recorder)
    pub = publication(tmp_path, server.port, "  connections: 2\n")
    addresses = [f"t{i}@example.org" for i in range(300)]
    subscribe(herald, pub, addresses)
    env = dict(os.environ, **SECRET)
    proc = subprocess.Popen([herald_bin, "send", pub, "--state-dir", pub / "state"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    while len(recorder.accepted) < 20:
        time.sleep(0.01)
    proc.send_signal(signal.SIGTERM)  # what `systemctl stop` does
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 75, err
    assert "stopped by a signal" in err
    counts = status(herald, pub)["digests"][0]["deliveries"]
    assert counts["uncertain"] == 0 and counts["sending"] == 0
    assert counts["sent"] == len(recorder.accepted) and counts["pending"] > 0
    assert send(herald, pub).returncode == 0
    assert sorted(collections.Counter(recorder.recipients()).values()) == [1] * len(addresses)


def test_unsubscribe_link_from_a_sent_digest_stops_the_next_one(herald, tmp_path, smtp_server):
    import re
    recorder = smtp_servers.Recorder()
    server = smtp_server(recorder)
    pub = publication(tmp_path, server.port)
    subscribe(herald, pub, ["stay@example.org", "leave@example.org"])
    assert send(herald, pub).returncode == 0
    message = next(m for rcpt, m in recorder.accepted if rcpt == "leave@example.org")
    token = re.search(r"token=([^&>\s]+)", str(message["List-Unsubscribe"])).group(1)
    bad = herald("unsubscribe", pub, token[:-2] + "xx", "--state-dir", pub / "state", check=False, env=SECRET)
    assert bad.returncode == 65 and "not valid" in bad.stderr
    done = herald("unsubscribe", pub, token, "--state-dir", pub / "state", env=SECRET)
    assert "unsubscribed leave@example.org" in done.stdout
    # A new post, a new digest: only the remaining subscriber gets it.
    later = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    (pub / "posts" / "second.md").write_text(f"---\ntitle: Second\ndate: {later}\n---\nMore.\n")
    recorder.accepted.clear()
    assert send(herald, pub).returncode == 0
    assert recorder.recipients() == ["stay@example.org"]
    assert [d["number"] for d in status(herald, pub)["digests"]] == [2, 1]


def test_bad_smtp_settings_fail_before_a_digest_is_journaled(herald, tmp_path):
    pub = publication(tmp_path, 25, "  username: herald\n")  # no password anywhere
    subscribe(herald, pub, ["a@example.com"])
    result = send(herald, pub, env={"HERALD_SMTP_PASSWORD": ""})
    assert result.returncode == 78
    assert "no password" in result.stderr
    assert status(herald, pub)["digests"] == []
    (pub / "herald.yml").write_text((pub / "herald.yml").read_text()
                                    .replace("smtp://127.0.0.1:25", "smtp://mail.example.org:25")
                                    .replace("  username: herald\n", "  starttls: off\n"))
    result = send(herald, pub)
    assert result.returncode == 78 and "only allowed for a loopback host" in result.stderr


def test_missing_unsubscribe_secret_is_a_configuration_error(herald, tmp_path):
    pub = publication(tmp_path, smtp_servers.free_port())
    subscribe(herald, pub, ["a@example.com"])
    result = send(herald, pub, env={"HERALD_UNSUBSCRIBE_SECRET": ""})
    assert result.returncode == 78, result.stderr
    assert "no unsubscribe secret" in result.stderr
    assert status(herald, pub)["digests"] == []


def test_resend_uncertain_sends_them_again(herald_bin, herald, tmp_path, smtp_server):
    recorder = smtp_servers.Recorder(delay=0.005)
    server = smtp_server(recorder)
    pub = publication(tmp_path, server.port, "  connections: 2\n  batch: 5\n")
    addresses = [f"u{i}@example.org" for i in range(200)]
    subscribe(herald, pub, addresses)
    proc = subprocess.Popen([herald_bin, "send", pub, "--state-dir", pub / "state"], env=dict(os.environ, **SECRET),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    while len(recorder.accepted) < 30:
        time.sleep(0.005)
    proc.kill()
    proc.communicate()
    plain = send(herald, pub)  # marks the interrupted batch uncertain, sends the rest
    assert plain.returncode == 0 and "uncertain" in plain.stderr
    uncertain = {d["address"] for d in status(herald, pub)["uncertain"]}
    assert 0 < len(uncertain) <= 2 * 5
    again = send(herald, pub, "--resend-uncertain")
    assert again.returncode == 0, again.stderr
    report = status(herald, pub)
    assert report["uncertain"] == [] and report["digests"][0]["deliveries"]["sent"] == len(addresses)
    got = collections.Counter(recorder.recipients())
    assert all(got[a] >= 1 for a in addresses)
    assert {a for a in addresses if got[a] > 1} <= uncertain  # duplicates only where accepted


def test_send_test_without_unsubscribe_secret_is_a_configuration_error(herald, tmp_path, smtp_server):
    """A missing secret is a setting to fix (78), as `herald send` and `herald check` say,
    not bad content (65)."""
    recorder = smtp_servers.Recorder()
    server = smtp_server(recorder)
    pub = publication(tmp_path, server.port)
    result = send(herald, pub, "--test", "probe@example.net", env={"HERALD_UNSUBSCRIBE_SECRET": ""})
    assert result.returncode == 78, result.stderr
    assert "no unsubscribe secret" in result.stderr
    assert recorder.recipients() == []
