"""SMTP servers that fail the ways exactly-once delivery must survive: a reply to the
final "." that comes too late or never (the message is stored either way), a server that
never greets, one that greets and then goes silent, and one that answers 530 or 503 at MAIL.

The aiosmtpd variants build on `smtp_servers.Recorder`, so every test can compare what
the server stored with what herald's journal says."""
import asyncio
import socket
import threading

from smtp_servers import Recorder


class SlowFinalReply(Recorder):
    """Stores every message, then holds the reply to the final "." for `delay` seconds
    for the addresses in `slow`: past herald's timeout the reply is lost, the message is not."""

    def __init__(self, slow, delay):
        super().__init__()
        self.slow, self.reply_delay = set(slow), delay  # not `delay`: Recorder's blocks every message

    async def handle_DATA(self, server, session, envelope):
        reply = await super().handle_DATA(server, session, envelope)
        if envelope.rcpt_tos[0] in self.slow:
            await asyncio.sleep(self.reply_delay)  # other sessions go on meanwhile
        return reply


class DropAfterStore(Recorder):
    """Stores the message, then drops the connection instead of answering the final "."
    for the addresses in `dropped` (every time)."""

    def __init__(self, dropped):
        super().__init__()
        self.dropped = set(dropped)

    async def handle_DATA(self, server, session, envelope):
        reply = await super().handle_DATA(server, session, envelope)
        if envelope.rcpt_tos[0] in self.dropped:
            server.transport.abort()
        return reply


class RefuseAtMail(Recorder):
    """Answers every MAIL with `reply` (e.g. 530 authentication required, 503 bad sequence)."""

    def __init__(self, reply):
        super().__init__()
        self.reply = reply
        self.mails = 0

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        with self.lock:
            self.mails += 1
        return self.reply


class CountingRecorder(Recorder):
    """A Recorder that refuses the first RCPT of each address in `flaky` with 451 and counts
    the MAIL commands each session gets, so a test sees whether a session was reused."""

    def __init__(self, flaky=()):
        super().__init__()
        self.flaky = set(flaky)
        self.mails_per_session = {}

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        with self.lock:
            self.mails_per_session[session.peer] = self.mails_per_session.get(session.peer, 0) + 1
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self.lock:
            first = address in self.flaky
            self.flaky.discard(address)
        if first:
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"


class SilentServer:
    """Plain TCP on a free loopback port that accepts every connection and never answers;
    with `greeting` it sends that line first and then stays silent (no reply to EHLO)."""

    def __init__(self, greeting=None):
        self.greeting = greeting
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.connections = []
        self.running = True
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            if self.greeting:
                conn.sendall(self.greeting.encode() + b"\r\n")
            self.connections.append(conn)  # held open, never read

    def stop(self):
        self.running = False
        self.thread.join()
        self.sock.close()
        for conn in self.connections:
            conn.close()
