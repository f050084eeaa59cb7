"""An unsubscribe that lands while `herald send` runs, against a real SMTP server (aiosmtpd):
once `herald unsubscribe` has answered, no message to that address starts, not even the one
the connection has already taken from the journal for its next transaction; and the send's
summary counts the deliveries it skipped as skipped (`herald status`: failed), not as left
pending.
The same with the state in PostgreSQL, where the unsubscribe and the sender's read meet
only in the database server.

The server holds its answer to the end of one message while the test unsubscribes the
addresses right behind it: the sender cannot start anything meanwhile, so what it sends
afterwards shows whether it looked at the subscription again, with no clock involved."""
import asyncio
import os
import sqlite3
import subprocess
import threading
import time

import pytest

import smtp_servers
from test_mail import SECRET, publication, send, status, subscribe
from test_postgres_commands import on_postgres, psql


class Holding(smtp_servers.Recorder):
    """Accepts everything; the answer to the message for an address in `hold` waits until
    the test releases it, and `held` tells the test it is waiting."""

    def __init__(self, hold):
        super().__init__()
        self.hold = list(hold)
        self.held = {a: threading.Event() for a in hold}
        self.release = {a: threading.Event() for a in hold}

    async def handle_DATA(self, server, session, envelope):
        for address in envelope.rcpt_tos:
            if address in self.held:
                self.held[address].set()
                while not self.release[address].is_set():
                    await asyncio.sleep(0.005)
        return await super().handle_DATA(server, session, envelope)


def tokens(pub, postgres=None):
    if postgres:
        return dict(line.split("\t") for line in psql(*postgres, "SELECT address, unsubscribe_token FROM subscribers"))
    with sqlite3.connect(f"file:{pub / 'state' / 'state.sqlite'}?mode=ro", uri=True) as db:
        return dict(db.execute("SELECT address, unsubscribe_token FROM subscribers"))


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_no_message_starts_after_its_unsubscribe_was_answered(herald_bin, herald, tmp_path, smtp_server, backend, request,
                                                              monkeypatch):
    addresses = [f"reader{i:03}@example.org" for i in range(60)]
    # While the message to `held` waits for its answer, the connection has already taken
    # the next row (its `sending` mark may be durable) and the rest sit in memory.
    plan = {"reader010@example.org": addresses[11:13], "reader030@example.org": addresses[31:32] + addresses[40:41]}
    handler = Holding(plan)
    server = smtp_server(handler)
    pub = publication(tmp_path, server.port, "  connections: 1\n")
    postgres = None
    if backend == "postgresql":
        postgres = request.getfixturevalue("postgres_database")
        on_postgres(pub, postgres[0])
        monkeypatch.setenv("HERALD_STATE_PASSWORD", postgres[1])
    subscribe(herald, pub, addresses)
    token_of = tokens(pub, postgres)
    sender = subprocess.Popen([herald_bin, "send", pub, "--state-dir", pub / "state"],
                              env=dict(os.environ, XDG_STATE_HOME=str(tmp_path / "xdg-state"), **SECRET),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for held, leaving in plan.items():
            assert handler.held[held].wait(timeout=60), f"the send never reached {held}"
            for address in leaving:
                herald("unsubscribe", pub, token_of[address], "--state-dir", pub / "state", env=SECRET)
            handler.release[held].set()
        out, err = sender.communicate(timeout=120)
    finally:
        for event in handler.release.values():
            event.set()
        if sender.poll() is None:
            sender.kill()
    assert sender.returncode == 0, err
    skipped = [a for leaving in plan.values() for a in leaving]
    mailed = [a for a in skipped if a in handler.recipients()]
    assert mailed == [], f"mailed after their unsubscribe was answered: {mailed}"
    assert sorted(handler.recipients()) == [a for a in addresses if a not in skipped]
    deliveries = status(herald, pub)["digests"][0]["deliveries"]
    assert deliveries["failed"] == len(skipped) and deliveries["pending"] == 0
    assert f"sent {len(addresses) - len(skipped)}, failed 0, skipped (unsubscribed) {len(skipped)}, uncertain 0, left pending 0 of {len(addresses)}" in out


def test_summary_counts_unsubscribed_deliveries_as_skipped(herald, tmp_path, smtp_server):
    """A digest left unfinished (a temporary failure used up its retries), one of its
    subscribers gone meanwhile: the next run skips them and says so."""
    addresses = ["stay@example.net", "leave@example.net"]
    handler = smtp_servers.Misbehaving(flaky=addresses, temp_failures=1)
    server = smtp_server(handler)
    pub = publication(tmp_path, server.port, "  retries: 0\n")
    subscribe(herald, pub, addresses)
    first = send(herald, pub)
    assert first.returncode == 75, first.stderr
    herald("unsubscribe", pub, tokens(pub)["leave@example.net"], "--state-dir", pub / "state", env=SECRET)
    second = send(herald, pub)
    assert second.returncode == 0, second.stderr
    assert handler.recipients() == ["stay@example.net"]
    line = "digest #1: sent 1, failed 0, skipped (unsubscribed) 1, uncertain 0, left pending 0 of 2"
    assert line in second.stdout + second.stderr
    deliveries = status(herald, pub)["digests"][0]["deliveries"]
    assert deliveries["failed"] == 1 and deliveries["pending"] == 0
