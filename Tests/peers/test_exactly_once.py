"""Exactly once on the wire (deploy/EXACTLY-ONCE.md), checked by comparing what a real
server stored with what `herald status --json` says.

- a reply to the final "." that never comes (too slow, or the connection dropped after
  the server stored the message) makes that one delivery `uncertain`, never a resend;
- `kill -9` at random moments leaves at most two `sending` rows per connection, and
  everything else is `pending` and sent by the next run;
- a server that never greets or goes silent is given up after a few connections (exit 69);
- 530/503 at MAIL are reported as what they are; a failed transaction is not followed by
  MAIL on the same session;
- a run that leaves deliveries pending too long exits non-zero; `send --test` journals nothing."""
import collections
import os
import random
import signal
import subprocess
import time

import pytest

import smtp_misbehaving
import smtp_servers
from test_mail import SECRET, publication, send, status, subscribe


def counts(herald, pub):
    return status(herald, pub)["digests"][0]["deliveries"]


def uncertain_addresses(herald, pub):
    return {d["address"] for d in status(herald, pub)["uncertain"]}


@pytest.mark.parametrize("variant", ["slow", "dropped"])
def test_lost_reply_to_final_dot_is_uncertain_not_resent(herald, tmp_path, variant, smtp_server):
    addresses = [f"r{i:02d}@example.net" for i in range(40)]
    lost = addresses[4::5]  # every fifth reply never arrives in time
    if variant == "slow":
        handler = smtp_misbehaving.SlowFinalReply(slow=lost, delay=4)
    else:
        handler = smtp_misbehaving.DropAfterStore(dropped=lost)
    server = smtp_server(handler)
    pub = publication(tmp_path, server.port, "  timeout: 5\n  data_timeout: 1\n  retries: 3\n")
    subscribe(herald, pub, addresses)
    result = send(herald, pub)
    assert result.returncode == 0, result.stderr
    assert "uncertain" in result.stderr
    got = collections.Counter(handler.recipients())
    assert set(got) == set(addresses) and set(got.values()) == {1}, got  # stored once, never resent
    assert uncertain_addresses(herald, pub) == set(lost)
    c = counts(herald, pub)
    assert c["sent"] == len(addresses) - len(lost) and c["uncertain"] == len(lost) and c["pending"] == 0
    # A later run does not resend them either.
    assert send(herald, pub).returncode == 0
    assert len(handler.recipients()) == len(addresses)


def test_a_late_reply_is_never_read_as_the_answer_to_the_next_message(herald, tmp_path, smtp_server):
    # One connection: after giving up on the final reply, herald must not send the next MAIL
    # on that session, where the server's late "250" would answer it and shift every reply.
    addresses = [f"l{i}@example.net" for i in range(6)]
    handler = smtp_misbehaving.SlowFinalReply(slow=addresses[1:2], delay=2)
    server = smtp_server(handler)
    pub = publication(tmp_path, server.port, "  connections: 1\n  timeout: 5\n  data_timeout: 1\n  retries: 0\n")
    subscribe(herald, pub, addresses)
    result = send(herald, pub)
    assert result.returncode == 0, result.stderr
    assert sorted(handler.recipients()) == sorted(addresses)
    assert uncertain_addresses(herald, pub) == {addresses[1]}
    assert status(herald, pub)["pending_retries"] == []


def test_final_dot_has_its_own_timeout(herald, tmp_path, smtp_server):
    # Every final reply takes 1.5 s: longer than the command timeout, shorter than data_timeout.
    addresses = [f"s{i}@example.net" for i in range(6)]
    handler = smtp_misbehaving.SlowFinalReply(slow=addresses, delay=1.5)
    server = smtp_server(handler)
    pub = publication(tmp_path, server.port, "  timeout: 1\n  data_timeout: 10\n")
    subscribe(herald, pub, addresses)
    result = send(herald, pub)
    assert result.returncode == 0, result.stderr
    assert sorted(handler.recipients()) == sorted(addresses)
    assert counts(herald, pub)["sent"] == len(addresses)


def test_kill_9_leaves_only_in_flight_deliveries_uncertain(herald_bin, herald, tmp_path, smtp_server, crash_seed):
    connections = 4
    recorder = smtp_servers.Recorder()
    server = smtp_server(recorder)
    # Rate-capped so that the kills land while mail is on the wire.
    pub = publication(tmp_path, server.port, f"  connections: {connections}\n  rate: 300\n")
    addresses = [f"k{i:04d}@example.org" for i in range(1000)]
    subscribe(herald, pub, addresses)
    env = dict(os.environ, **SECRET)
    rng = random.Random(crash_seed)
    kills = 0
    while True:
        proc = subprocess.Popen([herald_bin, "send", pub, "--state-dir", pub / "state"], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if kills < 5:
            time.sleep(rng.uniform(0.3, 0.9))
        if kills < 5 and proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            proc.communicate()
            kills += 1
            # What the crash left: only the rows in flight, two per connection at most.
            left = counts(herald, pub)
            assert left["sending"] <= 2 * connections, f"{left} (HERALD_CRASH_SEED={crash_seed})"
            continue
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        break
    assert kills >= 3, f"the sender was not interrupted; the test proved nothing (HERALD_CRASH_SEED={crash_seed})"
    report = status(herald, pub)
    c = report["digests"][0]["deliveries"]
    uncertain = {d["address"] for d in report["uncertain"]}
    assert c["pending"] == 0 and c["sending"] == 0
    assert c["sent"] + c["uncertain"] == len(addresses), f"{c} (HERALD_CRASH_SEED={crash_seed})"
    assert len(uncertain) <= kills * 2 * connections, f"{len(uncertain)} uncertain after {kills} kills (HERALD_CRASH_SEED={crash_seed})"
    got = collections.Counter(recorder.recipients())
    assert max(got.values()) == 1, f"duplicates: {[a for a, n in got.items() if n > 1]} (HERALD_CRASH_SEED={crash_seed})"
    missing = set(addresses) - set(got)
    assert missing <= uncertain, f"lost without being reported: {missing - uncertain} (HERALD_CRASH_SEED={crash_seed})"
    print(f"HERALD_CRASH_SEED={crash_seed}: {kills} kills, {len(uncertain)} uncertain, {len(missing)} of them never received")


@pytest.mark.parametrize("greeting", [None, "220 silent.example ESMTP"])
def test_silent_server_is_given_up_fast_with_69(herald, tmp_path, greeting):
    server = smtp_misbehaving.SilentServer(greeting=greeting)
    try:
        pub = publication(tmp_path, server.port, "  timeout: 2\n")
        addresses = [f"q{i}@example.org" for i in range(200)]
        subscribe(herald, pub, addresses)
        started = time.monotonic()
        result = send(herald, pub)
        elapsed = time.monotonic() - started
        assert result.returncode == 69, result.stderr
        assert elapsed < 12, f"took {elapsed:.1f} s"
        assert len(server.connections) <= 6, f"{len(server.connections)} connections"
        lines = [line for line in result.stderr.splitlines() if "in a row" in line]
        assert len(lines) == 1, result.stderr
        assert ("no greeting" if greeting is None else "no reply to EHLO") in lines[0], lines[0]
        c = counts(herald, pub)
        assert c["pending"] == len(addresses) and c["uncertain"] == 0 and c["sent"] == 0
        assert status(herald, pub)["pending_retries"] == []  # no attempt counted against anyone
    finally:
        server.stop()


@pytest.mark.parametrize("reply, exit_code, words", [
    ("530 5.7.0 Authentication required", 78, "requires authentication"),
    ("503 5.5.1 Bad sequence of commands", 69, "out of sequence"),
])
def test_refusal_at_mail_is_reported_as_what_it_is(herald, tmp_path, reply, exit_code, words, smtp_server):
    handler = smtp_misbehaving.RefuseAtMail(reply)
    server = smtp_server(handler)
    pub = publication(tmp_path, server.port)
    subscribe(herald, pub, ["a@example.com", "b@example.com", "c@example.com"])
    result = send(herald, pub)
    assert result.returncode == exit_code, result.stderr
    assert words in result.stderr and reply[:3] in result.stderr
    assert "refused the sender" not in result.stderr
    assert counts(herald, pub)["pending"] == 3


def test_failed_transaction_is_not_followed_by_mail_on_the_same_session(herald, tmp_path, smtp_server):
    addresses = [f"t{i:02d}@example.net" for i in range(30)]
    handler = smtp_misbehaving.CountingRecorder(flaky=addresses[::3])
    server = smtp_server(handler)
    pub = publication(tmp_path, server.port, "  connections: 1\n")
    subscribe(herald, pub, addresses)
    result = send(herald, pub)
    # aiosmtpd answers 503 to a MAIL inside an open transaction: a run that reused the
    # session without RSET would stop here.
    assert result.returncode == 0, result.stderr
    assert sorted(collections.Counter(handler.recipients()).values()) == [1] * len(addresses)
    assert sum(handler.mails_per_session.values()) == len(addresses) + len(addresses[::3])


def test_pending_too_long_exits_69_not_75(herald, tmp_path, smtp_server):
    addresses = [f"p{i}@example.net" for i in range(4)]
    handler = smtp_servers.Misbehaving(flaky=addresses[:1], temp_failures=99)
    server = smtp_server(handler)
    pub = publication(tmp_path, server.port, "  retries: 0\n")
    subscribe(herald, pub, addresses)
    young = send(herald, pub)
    assert young.returncode == 75, young.stderr  # a fresh deferral: the next run retries
    (pub / "herald.yml").write_text((pub / "herald.yml").read_text() + "  alert_pending_after_minutes: 0\n")
    old = send(herald, pub)
    assert old.returncode == 69, old.stderr
    assert "pending for more than 0 minutes" in old.stderr
    assert counts(herald, pub)["pending"] == 1


def test_send_test_address_prints_reply_and_journals_nothing(herald, tmp_path, smtp_server):
    recorder = smtp_servers.Recorder()
    server = smtp_server(recorder)
    pub = publication(tmp_path, server.port)
    subscribe(herald, pub, ["a@example.com", "b@example.com"])
    result = send(herald, pub, "--test", "probe@example.net")
    assert result.returncode == 0, result.stderr
    assert "250 2.0.0 accepted" in result.stdout
    assert recorder.recipients() == ["probe@example.net"]
    rcpt, message = recorder.accepted[0]
    assert message["To"].addresses[0].addr_spec == "probe@example.net"
    assert status(herald, pub)["digests"] == []
    assert send(herald, pub).returncode == 0  # the real send still owes everyone the digest
    assert sorted(recorder.recipients()) == ["a@example.com", "b@example.com", "probe@example.net"]


def test_send_test_address_refused_shows_the_reply(herald, tmp_path, smtp_server):
    handler = smtp_servers.Misbehaving(refused=["probe@example.net"])
    server = smtp_server(handler)
    pub = publication(tmp_path, server.port)
    subscribe(herald, pub, ["a@example.com"])
    result = send(herald, pub, "--test", "probe@example.net")
    assert result.returncode != 0
    assert "550 5.1.1" in result.stdout + result.stderr
    assert handler.recipients() == [] and status(herald, pub)["digests"] == []
