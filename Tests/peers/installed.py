"""A machine set up as deploy/README.md says, inside a folder: `make install DESTDIR=ROOT`,
then the operator's steps (publications, output folder, credentials, a layout's drop-ins),
with the units started by systemd_unit as systemd would. ROOT plays `/`."""
import contextlib
import http.client
import pathlib
import shutil
import signal
import subprocess
import tempfile
import time

import smtp_servers
import systemd_unit

ROOT = pathlib.Path(__file__).resolve().parents[2]
HUGO_SITE = ROOT / "Tests" / "peers" / "fixtures" / "hugo" / "community"
UNIT_DIR = "/usr/local/lib/systemd/system"
DOC_DIR = "/usr/local/share/doc/herald/deploy"
SECRET = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA=="

# Each layout deploy/README.md documents: the herald@ instances and the folder each publishes
# from, the herald-serve@ instance that serves them, the output folder, the drop-ins installed
# (from the installed examples into /etc/systemd/system), the credentials' name, and where
# each publication is mounted.
LAYOUTS = {
    "default": dict(runs={"weekly": "/etc/herald/feeds/weekly"}, serve="weekly", out="/var/www/herald/weekly",
                    dropins=[], credentials="weekly", mounts={"weekly": "/"}),
    "site-in-git": dict(runs={"weekly": "/srv/herald/weekly"}, serve="weekly", out="/var/www/herald/weekly",
                        dropins=["herald@.service.d/site-in-git.conf", "herald-serve@.service.d/site-in-git.conf"],
                        credentials="weekly", mounts={"weekly": "/"}),
    # A bilingual Hugo site: one publication per language, Herald's files in Hugo's public/.
    # `herald init --hugo /srv/site` names them site-zh and site-en.
    "beside-hugo": dict(runs={"site-zh": "/etc/herald/feeds/site-zh", "site-en": "/etc/herald/feeds/site-en"},
                        serve="site",
                        out="/var/www/site/public",
                        dropins=["herald@.service.d/beside-hugo.conf", "herald-serve@site.service.d/beside-hugo.conf"],
                        credentials="site", mounts={"site-zh": "/blog/", "site-en": "/en/blog/"}),
}


def make_install(root, herald_bin):
    subprocess.run(["make", "-s", "-C", str(ROOT), "install-files", f"DESTDIR={root}", f"HERALD_BUILT={herald_bin}",
                    "MANPAGE="], check=True, capture_output=True, text=True)


class Machine:
    def __init__(self, tmp_path, herald_bin, layout="default", smtp_port=9):
        self.tmp = tmp_path
        self.root = tmp_path / "root"
        self.layout = LAYOUTS[layout]
        self.name = layout
        make_install(self.root, herald_bin)
        smtp = f"smtp:\n  url: smtp://127.0.0.1:{smtp_port}\n"
        if layout == "site-in-git":
            editor = tmp_path / "editor"
            shutil.copytree(ROOT / "feeds" / "example", editor)
            (editor / "herald.yml").write_text((editor / "herald.yml").read_text() + smtp)
            git = lambda *a: subprocess.run(["git", *a], cwd=editor, check=True, capture_output=True)  # noqa: E731
            git("init", "-q")
            git("add", "-A")
            git("-c", "user.email=e@example.org", "-c", "user.name=E", "commit", "-qm", "site")
            subprocess.run(["git", "clone", "-q", str(editor), str(self.publication("weekly"))], check=True,
                           capture_output=True)
        elif layout == "beside-hugo":
            # The site's source where the editors' checkout is, and Hugo's output where nginx reads it.
            source = self.path("/srv/site")
            shutil.copytree(HUGO_SITE, source)
            proc = subprocess.run(["hugo", "--quiet", "--source", str(source), "--destination", str(self.out)],
                                  capture_output=True, text=True)
            assert proc.returncode == 0, proc.stderr
            for instance in self.layout["runs"]:
                folder, language = self.publication(instance), instance.rsplit("-", 1)[1]
                folder.mkdir(parents=True)
                # What `herald init --hugo /srv/site --section blog` writes, with a sender and a server.
                (folder / "herald.yml").write_text(
                    f"hugo: ../../../../srv/site\nsection: blog\nlanguage: {language}\n"
                    f"digest:\n  from: Weekly <weekly@weekly.example.org>\n" + smtp, encoding="utf-8")
        else:
            shutil.copytree(ROOT / "feeds" / "example", self.publication("weekly"))
            yml = self.publication("weekly") / "herald.yml"
            yml.write_text(yml.read_text() + smtp)
        self.out.mkdir(parents=True, exist_ok=True)
        creds = self.path("/etc/herald/credentials")
        creds.mkdir(parents=True, mode=0o700)
        name = self.layout["credentials"]
        (creds / f"{name}-smtp-password").write_text("the SMTP password\n")
        (creds / f"{name}-unsubscribe-secret").write_text(SECRET + "\n")
        for path in creds.iterdir():
            path.chmod(0o600)
        for dropin in self.layout["dropins"]:
            target = self.path(f"/etc/systemd/system/{dropin}")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(self.path(f"{DOC_DIR}/{dropin}"), target)
        # This test's port, set as the serve unit says another instance's is: a drop-in.
        self.port = smtp_servers.free_port()
        port = self.path(f"/etc/systemd/system/herald-serve@{self.layout['serve']}.service.d/port.conf")
        port.parent.mkdir(parents=True, exist_ok=True)
        port.write_text(f"[Service]\nEnvironment=HERALD_LISTEN=127.0.0.1:{self.port}\n")

    def path(self, absolute):
        return self.root / absolute.lstrip("/")

    def publication(self, instance):
        return self.path(self.layout["runs"][instance])

    @property
    def out(self):
        return self.path(self.layout["out"])

    def feed(self, instance, name="atom.xml"):
        return self.out / self.layout["mounts"][instance].strip("/") / name

    def unit(self, template, instance):
        return systemd_unit.Unit(self.root, self.path(UNIT_DIR), template, instance,
                                 dropin_dirs=[self.path("/etc/systemd/system")])

    def runs(self):
        return [self.unit("herald@.service", instance) for instance in self.layout["runs"]]

    def serve(self):
        return self.unit("herald-serve@.service", self.layout["serve"])

    def publish(self):
        """Each herald@ instance once, as its timer starts it: each must exit 0."""
        for run in self.runs():
            process = run.start(stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            out, err = process.communicate(timeout=180)
            assert process.returncode == 0, f"{run.name}: {run.argv} exited {process.returncode}\n{out}\n{err}"

    @contextlib.contextmanager
    def serving(self):
        """herald-serve@ running until the block ends (SIGTERM, which it must answer with exit 0)."""
        unit = self.serve()
        log = tempfile.TemporaryFile()
        process = unit.start(stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 30
            while True:
                if process.poll() is not None:
                    log.seek(0)
                    raise AssertionError(f"{unit.name} exited {process.returncode}: {log.read().decode()}")
                with contextlib.suppress(OSError):
                    if get(self.port, "/healthz")[0] == 200:
                        break
                assert time.monotonic() < deadline, f"{unit.name} did not answer /healthz within 30 s"
                time.sleep(0.1)
            yield self.port
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)  # as `systemctl stop` does
                try:
                    assert process.wait(timeout=15) == 0, f"{unit.name} did not exit 0 on SIGTERM"
                finally:
                    if process.poll() is None:
                        process.kill()
            log.close()


def get(port, path, accept="application/atom+xml"):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers={"Accept": accept})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()
