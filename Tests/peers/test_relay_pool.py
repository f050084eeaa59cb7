"""`smtp.url` as a list of relays (docs/configuration.md), against real aiosmtpd relays,
each in a process of its own so a test can kill it mid-send:

- the connections are spread over the relays; a relay killed mid-send is left alone and
  the send finishes on the other, every subscriber once (uncertain ones reported, not resent);
- every relay dead: exit 69 naming each relay, nothing sent twice, and a later run finishes;
- a relay listed twice, or an entry with a control character, is refused at its line (78)."""
import collections
import os
import subprocess
import time

import pytest

import smtp_misbehaving
import smtp_servers
from smtp_relay_process import RelayProcess
from test_mail import SECRET, publication, send, status, subscribe


class ClosedRelay:
    """An aiosmtpd relay in this process whose `kill` closes the server: its sessions are
    cut and its port refuses, without the process dying."""

    def __init__(self):
        self.recorder = smtp_servers.Recorder()
        self.controller = smtp_servers.start(self.recorder)
        self.port = self.controller.port
        self.url = f"smtp://127.0.0.1:{self.port}"
        self.alive = True

    def recipients(self):
        return self.recorder.recipients()

    def kill(self):
        if self.alive:
            self.alive = False
            self.controller.stop()


@pytest.fixture
def relays(tmp_path):
    """Starts relays, each a process of its own (or, with closed=True, a server in this
    process); every one still alive is stopped when the test ends."""
    started = []

    def start(port=None, name=None, closed=False, hold=()):
        if closed:
            relay = ClosedRelay()
        else:
            relay = RelayProcess(port or smtp_servers.free_port(), tmp_path / f"{name or len(started)}.log", hold)
        started.append(relay)
        return relay
    yield start
    for relay in started:
        relay.kill()


def pool_publication(tmp_path, urls, extra_smtp=""):
    """test_mail's publication, its smtp.url a list of `urls`."""
    pub = publication(tmp_path, 0, extra_smtp)
    listed = "".join(f"\n    - {url}" for url in urls)
    (pub / "herald.yml").write_text((pub / "herald.yml").read_text().replace("  url: smtp://127.0.0.1:0", "  url:" + listed))
    return pub


def start_send(herald_bin, pub):
    return subprocess.Popen([herald_bin, "send", pub, "--state-dir", pub / "state"], env=dict(os.environ, **SECRET),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for(condition, seconds=30):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def assert_each_once(addresses, received, uncertain):
    got = collections.Counter(received)
    assert max(got.values()) == 1, f"duplicates: {[a for a, n in got.items() if n > 1]}"
    missing = set(addresses) - set(got)
    assert missing <= uncertain, f"lost without being reported: {sorted(missing - uncertain)}"
    assert set(got) <= set(addresses)


@pytest.mark.parametrize("death", ["killed", "closed"])
def test_a_relay_killed_mid_send_leaves_the_rest_to_the_other(herald_bin, herald, tmp_path, relays, death):
    a, b = relays(name="a", closed=death == "closed"), relays(name="b")
    # Rate-capped so that the kill lands while mail is on the wire to both relays.
    pub = pool_publication(tmp_path, [a.url, b.url], "  connections: 4\n  rate: 150\n  timeout: 5\n  data_timeout: 2\n")
    addresses = [f"m{i:03d}@example.org" for i in range(300)]
    subscribe(herald, pub, addresses)
    proc = start_send(herald_bin, pub)
    wait_for(lambda: len(a.recipients()) >= 30 and len(b.recipients()) >= 30)
    a.kill()
    at_kill = len(b.recipients())
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    # Each connection named its relay; the failure names the dead one.
    assert f"sends through {a.url}" in err and f"sends through {b.url}" in err
    assert f"to {a.url} failed" in err
    assert "in a row" not in err

    report = status(herald, pub)
    c = report["digests"][0]["deliveries"]
    uncertain = {d["address"] for d in report["uncertain"]}
    assert c["pending"] == 0 and c["sending"] == 0
    assert c["sent"] + c["uncertain"] == len(addresses), c
    assert len(uncertain) <= 4  # at most the messages whose final reply the kill cut off
    assert_each_once(addresses, a.recipients() + b.recipients(), uncertain)
    assert len(b.recipients()) > at_kill + 100  # the other relay carried the rest
    print(f"relay a ({death}) took {len(a.recipients())}, relay b {len(b.recipients())}, {len(uncertain)} uncertain")
    # The uncertain ones are reported and a later run does not resend them.
    again = send(herald, pub)
    assert again.returncode == 0, again.stderr
    assert_each_once(addresses, a.recipients() + b.recipients(), uncertain)


def test_messages_on_the_wire_to_a_killed_relay_are_uncertain_and_never_resent(herald_bin, herald, tmp_path, relays):
    addresses = [f"w{i:03d}@example.org" for i in range(200)]
    # Held addresses of every residue modulo the four connections: the connections take rows in
    # turn, so with odd ones alone (5, 15, …) the relay whose connections drew the even rows
    # never saw one, and the test waited out its 30 s (2 runs in 6).
    hold = set(addresses[5::10] + addresses[6::10])
    # Relay a stores these and never answers their final "."; it dies with them unanswered.
    a, b = relays(name="a", hold=hold), relays(name="b")
    pub = pool_publication(tmp_path, [a.url, b.url], "  connections: 4\n  rate: 150\n  timeout: 5\n  data_timeout: 60\n")
    subscribe(herald, pub, addresses)
    proc = start_send(herald_bin, pub)
    # Both of a's connections wait for a reply that will not come.
    wait_for(lambda: len(hold & set(a.recipients())) >= 2)
    a.kill()
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "uncertain" in err
    report = status(herald, pub)
    uncertain = {d["address"] for d in report["uncertain"]}
    cut_off = hold & set(a.recipients())
    assert uncertain == cut_off, (uncertain, cut_off)
    c = report["digests"][0]["deliveries"]
    assert c["pending"] == 0 and c["sent"] == len(addresses) - len(cut_off)
    assert_each_once(addresses, a.recipients() + b.recipients(), uncertain)
    assert not cut_off & set(b.recipients())  # the other relay never got a second copy
    assert send(herald, pub).returncode == 0
    assert not cut_off & set(b.recipients())


@pytest.mark.parametrize("greeting", ["421 4.3.2 too busy, try later", None])
def test_a_relay_that_refuses_at_its_greeting_or_stays_silent_is_left_for_the_other(herald, tmp_path, smtp_server, greeting):
    bad = smtp_misbehaving.SilentServer(greeting=greeting)
    try:
        good = smtp_servers.Recorder()
        server = smtp_server(good)
        urls = [f"smtp://127.0.0.1:{bad.port}", f"smtp://127.0.0.1:{server.port}"]
        pub = pool_publication(tmp_path, urls, "  connections: 4\n  timeout: 2\n")
        addresses = [f"g{i:03d}@example.org" for i in range(100)]
        subscribe(herald, pub, addresses)
        result = send(herald, pub)
        assert result.returncode == 0, result.stderr
        assert sorted(good.recipients()) == sorted(addresses)
        assert f"to {urls[0]} failed: " + ("421 4.3.2 too busy" if greeting else "no greeting within 2 s") in result.stderr
        assert len(bad.connections) <= 4  # one try per connection, then it rests
        assert status(herald, pub)["digests"][0]["deliveries"]["sent"] == len(addresses)
    finally:
        bad.stop()


def test_every_relay_dead_exits_69_naming_them_and_a_later_run_finishes(herald_bin, herald, tmp_path, relays):
    a, b = relays(name="a"), relays(name="b")
    pub = pool_publication(tmp_path, [a.url, b.url], "  connections: 4\n  rate: 150\n  timeout: 5\n  data_timeout: 2\n")
    addresses = [f"d{i:03d}@example.org" for i in range(300)]
    subscribe(herald, pub, addresses)
    proc = start_send(herald_bin, pub)
    wait_for(lambda: len(a.recipients()) >= 20 and len(b.recipients()) >= 20)
    a.kill()
    b.kill()
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 69, err
    stops = [line for line in err.splitlines() if "in a row" in line]
    assert len(stops) == 1, err
    assert f"gave up on every SMTP relay ({a.url}, {b.url}) after 3 failed connections in a row on each" in stops[0]
    c = status(herald, pub)["digests"][0]["deliveries"]
    assert c["pending"] > 0 and c["sending"] == 0
    assert max(collections.Counter(a.recipients() + b.recipients()).values()) == 1

    # One relay back (same address, same log): the next run sends the rest there, the dead one rests.
    a_again = relays(port=a.port, name="a")
    later = send(herald, pub)
    assert later.returncode == 0, later.stderr
    report = status(herald, pub)
    c = report["digests"][0]["deliveries"]
    uncertain = {d["address"] for d in report["uncertain"]}
    assert c["pending"] == 0 and c["sent"] + c["uncertain"] == len(addresses), c
    assert_each_once(addresses, a_again.recipients() + b.recipients(), uncertain)


def test_relays_never_reached_exit_69_with_every_delivery_pending(herald, tmp_path):
    urls = [f"smtp://127.0.0.1:{smtp_servers.free_port()}" for _ in range(2)]
    pub = pool_publication(tmp_path, urls)
    subscribe(herald, pub, ["a@example.com", "b@example.com", "c@example.com"])
    result = send(herald, pub)
    assert result.returncode == 69, result.stderr
    assert f"gave up on every SMTP relay ({urls[0]}, {urls[1]})" in result.stderr and "Couldn't connect" in result.stderr
    c = status(herald, pub)["digests"][0]["deliveries"]
    assert c["pending"] == 3 and c["uncertain"] == 0


def last_line_of(path, text):
    return [n for n, line in enumerate(path.read_text().splitlines(), 1) if line.endswith(text)][-1]


@pytest.mark.parametrize("entry, words", [
    ("smtp://127.0.0.1:2525", "smtp.url entry 3 is the same relay as entry 1 (smtp://127.0.0.1:2525): list each relay once"),
    ('"smtp://127.0.0.1:2527\\0"', "smtp.url entry 3: \"smtp://127.0.0.1:2527\\0\" holds a control character or a space (U+0000)"),
    ('"smtp://127.0.0.1:2527\\r\\nQUIT"', "holds a control character or a space (U+000D)"),
    ("smtp://u:hunter2@127.0.0.1:2527", "smtp.url entry 3 must not hold a user name or password"),
])
def test_a_bad_relay_entry_is_refused_at_its_line(herald, tmp_path, entry, words):
    pub = pool_publication(tmp_path, ["smtp://127.0.0.1:2525", "smtp://127.0.0.1:2526", entry])
    config = pub / "herald.yml"
    line = last_line_of(config, "- " + entry)
    for command in (["check", pub], ["send", pub, "--state-dir", pub / "state"]):
        result = herald(*command, check=False, env=SECRET)
        assert result.returncode == 78, result.stderr
        at_line = [text for text in result.stderr.splitlines() if text.startswith(f"{config}:{line}: ")]
        assert len(at_line) == 1 and words in at_line[0], result.stderr
        assert "hunter2" not in result.stderr
        assert "\0" not in result.stderr and "\r" not in result.stderr


def test_check_names_each_relay(herald, tmp_path):
    pub = pool_publication(tmp_path, ["smtp://127.0.0.1:2525", "smtps://mail.example.org"])
    result = herald("check", pub, env=SECRET)
    assert result.stdout.splitlines()[1:] == [
        "news: sends through relay 1 of 2, smtp://127.0.0.1:2525 (STARTTLS opportunistic)",
        "news: sends through relay 2 of 2, smtps://mail.example.org (TLS from the first byte)",
    ]
