"""Exactly once with several senders on one digest (deploy/EXACTLY-ONCE.md), the state in
PostgreSQL: three `herald send` processes deliver one digest of 3,000 subscribers into a real
SMTP server together, and are killed with SIGKILL at random 50 times in all (each killed one
is started again). What the server stored is compared with `herald status --json`:

- no subscriber gets the digest twice, and none is lost without being reported `uncertain`;
- each kill leaves at most two `sending` rows per connection of the process killed (the
  crash bound stays per process), which become `uncertain` once its lease has run out;
- the claims of a killed sender are taken over by the others after the lease
  (HERALD_SEND_LEASE, short here), so the digest is finished by whoever runs."""
import collections
import json
import os
import pathlib
import random
import subprocess
import time

import smtp_servers
from test_mail import SECRET, publication, subscribe

SUBSCRIBERS = 3000
SENDERS = 3
KILLS = 50
CONNECTIONS = 2
LEASE = 3


def psql(url, password, sql):
    """One query on the test cluster, its rows as lists of strings."""
    host, port = url.split("//", 1)[1].split("/", 1)[0].rsplit(":", 1)
    database = url.split("//", 1)[1].split("/", 1)[1].split("?", 1)[0]
    bindir = os.environ.get("HERALD_TEST_POSTGRES_BIN") or sorted(str(p) for p in pathlib.Path("/usr/lib/postgresql").glob("*/bin"))[-1]
    out = subprocess.run([f"{bindir}/psql", "-h", host, "-p", port, "-U", "herald", "-d", database, "-AtF", "|", "-c", sql],
                         check=True, capture_output=True, text=True, env=dict(os.environ, PGPASSWORD=password)).stdout
    return [line.split("|") for line in out.splitlines() if line]


def test_three_senders_killed_50_times_deliver_each_subscriber_once(herald_bin, herald, tmp_path, smtp_server,
                                                                    postgres_database, crash_seed):
    url, password = postgres_database
    recorder = smtp_servers.Recorder()
    server = smtp_server(recorder)
    # Rate-capped per process, so that the kills land while mail is on the wire.
    pub = publication(tmp_path, server.port, f"  connections: {CONNECTIONS}\n  rate: 30\n")
    addresses = [f"p{i:04d}@example.org" for i in range(SUBSCRIBERS)]
    subscribe(herald, pub, addresses)  # into SQLite, then copied into the database
    env = dict(os.environ, HERALD_STATE_PASSWORD=password, HERALD_SEND_LEASE=str(LEASE), **SECRET)
    herald("state", "copy", pub, "--state-dir", pub / "state", "--to", url, env=env)
    (pub / "herald.yml").write_text((pub / "herald.yml").read_text() + f"state: {url}\n")

    logs = tmp_path / "logs"
    logs.mkdir()
    started = 0

    def start():
        nonlocal started
        started += 1
        with open(logs / f"{started}.out", "w") as out, open(logs / f"{started}.err", "w") as err:
            return subprocess.Popen([herald_bin, "send", pub], env=env, stdout=out, stderr=err), started

    rng = random.Random(crash_seed)
    note = f"(HERALD_CRASH_SEED={crash_seed})"
    senders = [start() for _ in range(SENDERS)]
    kills, left_sending = 0, []
    began = time.monotonic()
    while kills < KILLS:
        time.sleep(rng.uniform(0.15, 0.6))
        alive = [i for i, (proc, _) in enumerate(senders) if proc.poll() is None]
        assert alive, f"every sender finished after {kills} kills: the test proved less than it says {note}"
        index = rng.choice(alive)
        proc, _ = senders[index]
        proc.kill()
        proc.wait()
        kills += 1
        # What this kill left on the wire: the rows of the killed process still `sending`.
        left = int(psql(url, password,
                        f"SELECT COUNT(*) FROM deliveries d JOIN senders s ON s.id = d.claimed_by "
                        f"WHERE s.pid = {proc.pid} AND d.status IN ('sending', 'uncertain')")[0][0])
        assert left <= 2 * CONNECTIONS, f"kill {kills} left {left} rows on the wire {note}"
        left_sending.append(left)
        senders[index] = start()
    for proc, number in senders:
        assert proc.wait(timeout=120) == 0, (logs / f"{number}.err").read_text()
    elapsed = time.monotonic() - began

    report = json.loads(herald("status", pub, "--json", env=env).stdout)
    digest = report["digests"][0]
    c = digest["deliveries"]
    assert c["pending"] == 0 and c["sending"] == 0, f"{c} {note}"
    assert c["sent"] + c["uncertain"] == SUBSCRIBERS, f"{c} {note}"
    # Every uncertain row is one a killed process had on the wire: per process, two per connection at most.
    per_sender = [s["uncertain"] for s in digest["senders"]]
    assert max(per_sender) <= 2 * CONNECTIONS, f"{per_sender} {note}"
    assert sum(per_sender) == c["uncertain"] and c["uncertain"] <= kills * 2 * CONNECTIONS, f"{c} {note}"
    # A process killed while starting never registered; most kills must land on running senders.
    registered = len(digest["senders"])
    assert started - registered <= KILLS // 2, f"only {registered} of {started} senders got to send {note}"
    got = collections.Counter(recorder.recipients())
    duplicates = [a for a, n in got.items() if n > 1]
    assert not duplicates, f"duplicates: {duplicates[:10]} {note}"
    uncertain = {d["address"] for d in report["uncertain"]}
    missing = set(addresses) - set(got)
    assert missing <= uncertain, f"lost without being reported: {sorted(missing - uncertain)[:10]} {note}"
    assert set(got) <= set(addresses)
    print(f"HERALD_CRASH_SEED={crash_seed}: {kills} kills of {SENDERS} senders ({registered} of {started} sent) in {elapsed:.0f} s, "
          f"{c['uncertain']} uncertain ({max(left_sending)} at most per kill), {len(missing)} of them never received")


def on_postgresql(herald, tmp_path, port, url, password, addresses, extra=""):
    """A publication whose state is the database, with `addresses` subscribed."""
    pub = publication(tmp_path, port, extra)
    subscribe(herald, pub, addresses)
    env = dict(os.environ, HERALD_STATE_PASSWORD=password, **SECRET)
    herald("state", "copy", pub, "--state-dir", pub / "state", "--to", url, env=env)
    (pub / "herald.yml").write_text((pub / "herald.yml").read_text() + f"state: {url}\n")
    return pub, env


def test_send_status_dry_run_and_test_address_on_postgresql(herald, tmp_path, smtp_server, postgres_database):
    url, password = postgres_database
    recorder = smtp_servers.Recorder()
    server = smtp_server(recorder)
    addresses = [f"s{i}@example.org" for i in range(12)]
    pub, env = on_postgresql(herald, tmp_path, server.port, url, password, addresses)
    dry = herald("send", pub, "--dry-run", "--out", tmp_path / "maildir", env=env)
    assert "rendered for 12 subscribers" in dry.stdout
    probe = herald("send", pub, "--test", "probe@example.net", env=env)
    assert "250" in probe.stdout
    sent = herald("send", pub, env=env)
    assert "digest #1: sent 12, failed 0" in sent.stdout, sent.stdout + sent.stderr
    assert sorted(recorder.recipients()) == sorted(addresses + ["probe@example.net"])
    assert "nothing to send" in herald("send", pub, env=env).stdout
    text = herald("status", pub, env=env).stdout
    assert f"state: {url.split('?')[0]}" in text or "state: postgresql://" in text, text
    assert "#1 " in text and "complete" in text and "sent 12" in text
    sender_lines = [line for line in text.splitlines() if line.strip().startswith("sender ")]
    assert len(sender_lines) == 1 and "sent 12, failed 0, uncertain 0, holding 0" in sender_lines[0], text
    assert password not in text


def test_a_bad_lease_setting_is_refused(herald, tmp_path, postgres_database):
    url, password = postgres_database
    pub, env = on_postgresql(herald, tmp_path, 25, url, password, ["a@example.org"])
    proc = herald("send", pub, check=False, env=dict(env, HERALD_SEND_LEASE="soon"))
    assert proc.returncode == 78, proc.stderr
    assert "HERALD_SEND_LEASE=soon" in proc.stderr


def test_herald_run_sends_the_due_digest_on_postgresql(herald, tmp_path, smtp_server, postgres_database):
    url, password = postgres_database
    recorder = smtp_servers.Recorder()
    server = smtp_server(recorder)
    addresses = [f"u{i}@example.org" for i in range(5)]
    pub, env = on_postgresql(herald, tmp_path, server.port, url, password, addresses)
    config = pub / "herald.yml"
    config.write_text(config.read_text().replace("digest:\n", "digest:\n  schedule: daily 00:00\n", 1))
    run = herald("run", pub, "--out", tmp_path / "public", env=env)
    assert "digest #1: sent 5, failed 0" in run.stdout, run.stdout + run.stderr
    assert sorted(recorder.recipients()) == sorted(addresses)
