"""An aiosmtpd relay in a process of its own, so a test can kill it (-9) in the middle of
a send as a crashed or powered-off relay dies: its connections reset, its port refuses.

The relay is `smtp_servers.Recorder`; each recipient it accepts is also appended to a log
file before the 250 goes out, so what a relay stored is known after its death. The 250
for a recipient in `hold` never goes out: killed then, the relay has the message and the
sender never learns it. Run as `python3 smtp_relay_process.py PORT LOG [HOLD,…]`;
`RelayProcess` does that for a test."""
import asyncio
import pathlib
import signal
import subprocess
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent


class RelayProcess:
    """A relay on 127.0.0.1:`port` that appends every accepted recipient to `log`."""

    def __init__(self, port, log, hold=()):
        self.port, self.log = port, pathlib.Path(log)
        self.log.touch()
        self.proc = subprocess.Popen([sys.executable, str(HERE / "smtp_relay_process.py"), str(port), str(log), ",".join(hold)],
                                     stdout=subprocess.PIPE, text=True, cwd=HERE)
        if self.proc.stdout.readline().strip() != "ready":
            self.proc.kill()
            raise RuntimeError(f"the relay on port {port} did not start")

    @property
    def url(self):
        return f"smtp://127.0.0.1:{self.port}"

    def recipients(self):
        return self.log.read_text().split()

    def kill(self):
        """SIGKILL: no goodbye, no reply to what is on the wire."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()


def serve(port, log, hold):
    from aiosmtpd.controller import Controller

    from smtp_servers import Recorder

    class LoggingRecorder(Recorder):
        def __init__(self, out):
            super().__init__()
            self.out = out

        async def handle_DATA(self, server, session, envelope):
            reply = await super().handle_DATA(server, session, envelope)
            self.out.write("".join(f"{rcpt}\n" for rcpt in envelope.rcpt_tos))
            self.out.flush()  # in the kernel before the 250: a kill -9 keeps it
            if hold & set(envelope.rcpt_tos):
                await asyncio.sleep(3600)
            return reply

    with open(log, "a", encoding="utf-8") as out:
        controller = Controller(LoggingRecorder(out), hostname="127.0.0.1", port=port)
        controller.start()
        print("ready", flush=True)
        while True:
            time.sleep(3600)


if __name__ == "__main__":
    serve(int(sys.argv[1]), sys.argv[2], set(filter(None, sys.argv[3].split(","))) if len(sys.argv) > 3 else set())
