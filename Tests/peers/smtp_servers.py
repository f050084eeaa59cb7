"""Real SMTP servers for the mail tests: aiosmtpd in a thread of the test process.

`Recorder` keeps every accepted message; `Misbehaving` adds temporary (451) and
permanent (550) refusals and connections dropped before the message, so herald's
retry and journal logic meets the failures real servers produce. Failures after the
whole message was sent are in `smtp_misbehaving`."""
import collections
import email
import email.policy
import socket
import ssl
import subprocess
import threading
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def self_signed_cert(directory):
    """A certificate for 127.0.0.1 made with openssl; returns (cert, key) paths."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert, key


class Recorder:
    """Accepts everything and remembers it: (envelope recipient, parsed message)."""

    def __init__(self, delay=0.0):
        self.lock = threading.Lock()
        self.accepted = []
        self.raw = []  # the bytes of every accepted message, as received (DKIM verifies those)
        self.peers = set()  # client (host, port) of every session that delivered a message
        self.delay = delay

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            time.sleep(self.delay)  # block the loop: a slow server
        # UTF-8 headers (RFC 6532) parse as text, not as surrogate escapes.
        message = email.message_from_string(envelope.content.decode("utf-8"), policy=email.policy.SMTPUTF8)
        with self.lock:
            self.peers.add(session.peer)
            for rcpt in envelope.rcpt_tos:
                self.accepted.append((rcpt, message))
            self.raw.append(bytes(envelope.original_content or envelope.content))
        return "250 2.0.0 accepted"

    def raw_messages(self):
        with self.lock:
            return list(self.raw)

    def recipients(self):
        with self.lock:
            return [r for r, _ in self.accepted]

    def assert_each_once(self, addresses, uncertain=(), note=""):
        """Every address received exactly once; those herald reports uncertain (a crash
        between the server's reply and the journal's commit) at most once."""
        got = collections.Counter(self.recipients())
        for address in addresses:
            if address in uncertain:
                assert got[address] <= 1, f"{address} received {got[address]} times {note}"
            else:
                assert got[address] == 1, f"{address} received {got[address]} times {note}"


class Misbehaving(Recorder):
    """451 for the first `temp_failures` tries of each address in `flaky`, 550 for every
    address in `refused`, and the connection dropped at RCPT (before the message, so the
    server cannot have it) on the first try of each address in `dropped`."""

    def __init__(self, flaky=(), refused=(), dropped=(), temp_failures=2):
        super().__init__()
        self.flaky, self.refused, self.dropped = set(flaky), set(refused), set(dropped)
        self.temp_failures = temp_failures
        self.tries = {}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self.lock:
            self.tries[address] = self.tries.get(address, 0) + 1
            tries = self.tries[address]
            drop = address in self.dropped
            self.dropped.discard(address)
        if address in self.refused:
            return "550 5.1.1 <%s>: mailbox unavailable" % address
        if drop:
            server.transport.abort()  # mid-transaction: a retry is safe
            return "451 never sent"
        if address in self.flaky and tries <= self.temp_failures:
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"


def authenticator(user, password):
    def check(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login == user.encode() \
            and auth_data.password == password.encode()
        return AuthResult(success=ok, handled=False)  # handled=False: the server replies 535
    return check


def start(handler, tls=None, auth=None, implicit_tls=False):
    """Starts a server on a free loopback port; `tls` is (cert, key) for STARTTLS,
    or for TLS from the first byte (smtps://) with `implicit_tls`."""
    kwargs = {}
    if tls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(str(tls[0]), str(tls[1]))
        if implicit_tls:
            kwargs.update(ssl_context=context)
        else:
            kwargs.update(tls_context=context, require_starttls=True)
    if auth:
        kwargs.update(authenticator=authenticator(*auth), auth_require_tls=bool(tls))
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(), **kwargs)
    controller.start()
    return controller
