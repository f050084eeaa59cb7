"""The systemd units must pass `systemd-analyze verify` with no warning at all:
verify exits 0 on unknown keys or bad values, so stderr is what tells."""
import contextlib
import http.client
import os
import pathlib
import re
import shutil
import signal
import subprocess
import tempfile
import time

import pytest

import smtp_servers
import systemd_unit

ROOT = pathlib.Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def verify(tmp_path, herald_bin, deploy=DEPLOY, instance="weekly", dropins=()):
    # Verify the units as installed, with ExecStart pointing at a binary that exists here.
    for name in ("herald@.service", "herald@.timer", "herald-alert@.service", "herald-serve@.service"):
        text = (deploy / name).read_text().replace("/usr/local/bin/herald", herald_bin)
        (tmp_path / name).write_text(text)
        # The alert unit's instance is the failed unit's name, as OnFailure=herald-alert@%N.service makes it.
        inst = name.replace("@.", f"@herald@{instance}." if name.startswith("herald-alert") else f"@{instance}.")
        os.symlink(tmp_path / name, tmp_path / inst)
    for dropin in dropins:
        for unit in ("herald@.service.d", "herald-serve@.service.d"):
            target = tmp_path / unit
            target.mkdir(exist_ok=True)
            shutil.copy(deploy / unit / dropin, target / dropin)
    return subprocess.run(
        ["systemd-analyze", "verify", "--man=no",
         str(tmp_path / f"herald@{instance}.service"), str(tmp_path / f"herald@{instance}.timer"),
         str(tmp_path / f"herald-alert@herald@{instance}.service"), str(tmp_path / f"herald-serve@{instance}.service")],
        capture_output=True, text=True)


def test_units_verify_cleanly(tmp_path, herald_bin):
    proc = verify(tmp_path, herald_bin)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.strip() == "", proc.stderr


def test_verify_catches_a_bad_key(tmp_path, herald_bin):
    # Guards the guard: a typo in the unit must show up, or the test above proves nothing.
    shutil.copytree(DEPLOY, tmp_path / "deploy")
    bad = tmp_path / "deploy" / "herald@.service"
    bad.write_text(bad.read_text().replace("ProtectSystem=strict", "ProtectSystm=strict"))
    units = tmp_path / "units"
    units.mkdir()
    proc = verify(units, herald_bin, deploy=tmp_path / "deploy")
    assert "ProtectSystm" in proc.stderr


def test_hardening_present():
    unit = (DEPLOY / "herald@.service").read_text()
    for line in ["User=herald", "StateDirectory=herald", "ProtectSystem=strict", "ProtectHome=yes",
                 "PrivateTmp=yes", "NoNewPrivileges=yes",
                 "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX", "CapabilityBoundingSet=",
                 "SystemCallFilter=@system-service", "LoadCredential=smtp-password:"]:
        assert line in unit, line
    assert "PASSWORD=" not in unit.upper().replace("HERALD_SMTP_PASSWORD", "")
    # Failures a human must see are not hidden: only 75 counts as success, and a failure alerts.
    assert "OnFailure=herald-alert@%N.service" in unit
    assert [line for line in unit.splitlines() if line.startswith("SuccessExitStatus=")] == ["SuccessExitStatus=75"]
    timer = (DEPLOY / "herald@.timer").read_text()
    assert "Persistent=true" in timer and "RandomizedDelaySec=" in timer


def test_serve_unit_sets_a_descriptor_limit():
    # Without one, serve gets systemd's soft default of 1024, and its connection cap with it.
    unit = (DEPLOY / "herald-serve@.service").read_text()
    limits = [line.split("=", 1)[1] for line in unit.splitlines() if line.startswith("LimitNOFILE=")]
    assert len(limits) == 1 and limits[0].isdigit() and int(limits[0]) >= 4096, limits


def test_site_in_git_dropin_verifies_and_points_at_srv(tmp_path, herald_bin):
    proc = verify(tmp_path, herald_bin, dropins=["site-in-git.conf"])
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.strip() == "", proc.stderr
    dropin = (DEPLOY / "herald@.service.d" / "site-in-git.conf").read_text()
    assert "HERALD_PUBLICATION=/srv/herald/%i" in dropin and "pull --ff-only" in dropin
    assert "${HERALD_PUBLICATION}" in (DEPLOY / "herald@.service").read_text()


def test_site_in_git_pull_brings_next_weeks_post(herald, tmp_path):
    """What ExecStartPre does, for real: a bare remote, a checkout in a /srv-like folder,
    a post pushed by an editor, the pull, and the next build publishes it."""
    git = lambda *a, cwd=tmp_path: subprocess.run(["git", *a], cwd=cwd, check=True, capture_output=True, text=True)  # noqa: E731
    git("init", "-q", "--bare", "remote.git")
    editor = tmp_path / "editor"
    shutil.copytree(ROOT / "feeds" / "example", editor)
    git("init", "-q", cwd=editor)
    git("add", "-A", cwd=editor)
    git("-c", "user.email=e@example.org", "-c", "user.name=E", "commit", "-qm", "posts", cwd=editor)
    git("push", "-q", str(tmp_path / "remote.git"), "HEAD:main", cwd=editor)
    srv = tmp_path / "srv" / "herald" / "weekly"
    git("clone", "-q", "--branch", "main", str(tmp_path / "remote.git"), str(srv))
    herald("build", srv, "--out", tmp_path / "www")
    (editor / "posts" / "2099-12-31-next-week.md").write_text("---\ntitle: Next week\ndate: 2020-01-01\n---\nNew.\n")
    git("add", "-A", cwd=editor)
    git("-c", "user.email=e@example.org", "-c", "user.name=E", "commit", "-qm", "next week", cwd=editor)
    git("push", "-q", str(tmp_path / "remote.git"), "HEAD:main", cwd=editor)
    dropin = (DEPLOY / "herald@.service.d" / "site-in-git.conf").read_text()
    pull = next(line for line in dropin.splitlines() if line.startswith("ExecStartPre="))
    command = pull.removeprefix("ExecStartPre=").replace("/srv/herald/%i", str(srv)).split()
    subprocess.run(command, check=True, capture_output=True)
    herald("build", srv, "--out", tmp_path / "www")
    assert "Next week" in (tmp_path / "www" / "atom.xml").read_text(encoding="utf-8")


# --- The units as systemd starts them, after `make install DESTDIR=ROOT` -------------------

# What deploy/README.md has the operator make before starting the units (the publication,
# its output folder, the two credentials, and a layout's drop-ins); everything else a unit
# names must come from `make install` or from systemd itself.
LAYOUTS = {
    "default": {"publication": "/etc/herald/feeds/weekly", "dropins": []},
    "site-in-git": {"publication": "/srv/herald/weekly", "dropins": ["site-in-git.conf"]},
}
UNIT_DIR = "/usr/local/lib/systemd/system"
DOC_DIR = "/usr/local/share/doc/herald/deploy"


def make_install(root, herald_bin):
    subprocess.run(["make", "-s", "-C", str(ROOT), "install-files", f"DESTDIR={root}", f"HERALD_BUILT={herald_bin}",
                    "MANPAGE="], check=True, capture_output=True, text=True)


class Machine:
    """A fake `/` (ROOT) with herald installed and one publication set up as deploy/README.md says."""

    def __init__(self, tmp_path, herald_bin, layout="default", smtp_port=9):
        self.root = tmp_path / "root"
        self.layout = LAYOUTS[layout]
        make_install(self.root, herald_bin)
        self.publication = self.path(self.layout["publication"])
        if layout == "site-in-git":
            git = lambda *a, cwd=tmp_path: subprocess.run(["git", *a], cwd=cwd, check=True, capture_output=True)  # noqa: E731
            shutil.copytree(ROOT / "feeds" / "example", tmp_path / "editor")
            self.configure(tmp_path / "editor", smtp_port)
            git("init", "-q", cwd=tmp_path / "editor")
            git("add", "-A", cwd=tmp_path / "editor")
            git("-c", "user.email=e@example.org", "-c", "user.name=E", "commit", "-qm", "site", cwd=tmp_path / "editor")
            git("clone", "-q", str(tmp_path / "editor"), str(self.publication))
        else:
            shutil.copytree(ROOT / "feeds" / "example", self.publication)
            self.configure(self.publication, smtp_port)
        self.path("/var/www/herald/weekly").mkdir(parents=True)
        creds = self.path("/etc/herald/credentials")
        creds.mkdir(parents=True, mode=0o700)
        (creds / "weekly-smtp-password").write_text("the SMTP password\n")
        (creds / "weekly-unsubscribe-secret").write_text("c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA==\n")
        for path in creds.iterdir():
            path.chmod(0o600)
        for dropin in self.layout["dropins"]:
            for unit in ("herald@.service.d", "herald-serve@.service.d"):
                target = self.path(f"/etc/systemd/system/{unit}/{dropin}")
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(self.path(f"{DOC_DIR}/{unit}/{dropin}"), target)
        # This test's port, set as the serve unit says another instance's is: a drop-in.
        self.port = smtp_servers.free_port()
        port = self.path("/etc/systemd/system/herald-serve@weekly.service.d/port.conf")
        port.parent.mkdir(parents=True, exist_ok=True)
        port.write_text(f"[Service]\nEnvironment=HERALD_LISTEN=127.0.0.1:{self.port}\n")

    @staticmethod
    def configure(publication, smtp_port):
        yml = publication / "herald.yml"
        yml.write_text(yml.read_text() + f"smtp:\n  url: smtp://127.0.0.1:{smtp_port}\n")

    def path(self, absolute):
        return self.root / absolute.lstrip("/")

    def unit(self, template):
        return systemd_unit.Unit(self.root, self.path(UNIT_DIR), template, "weekly",
                                 dropin_dirs=[self.path("/etc/systemd/system")])


def start_serve(unit):
    log = tempfile.TemporaryFile()
    process = unit.start(stdout=log, stderr=subprocess.STDOUT)
    port = int(unit.env["HERALD_LISTEN"].rsplit(":", 1)[1])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise AssertionError(f"{unit.name} exited {process.returncode}: {log.read().decode()}")
        with contextlib.suppress(OSError):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return process, port, log
        time.sleep(0.1)
    process.kill()
    raise AssertionError(f"{unit.name} did not answer /healthz within 30 s")


def get(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers={"Accept": "application/atom+xml"})
    response = conn.getresponse()
    return response.status, response.read()


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_units_start_as_installed(tmp_path, herald_bin, layout, smtp_server):
    """`make install`, the README's set-up, then each unit's commands as systemd runs them:
    the timer's service publishes and exits 0, serve answers /healthz and serves what it published."""
    recorder = smtp_servers.Recorder()
    smtp = smtp_server(recorder)
    machine = Machine(tmp_path, herald_bin, layout, smtp_port=smtp.port)
    run, serve = machine.unit("herald@.service"), machine.unit("herald-serve@.service")
    # The two read one publication and one output folder, in every layout.
    run_env, serve_env = run.environment(), serve.environment()
    for key in ("HERALD_PUBLICATION", "HERALD_OUT"):
        assert run_env.get(key) == serve_env.get(key), f"{layout}: {key} differs: {run_env.get(key)} vs {serve_env.get(key)}"
    assert run_env["HERALD_PUBLICATION"] == str(machine.publication)

    process = run.start(stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, f"{run.argv} exited {process.returncode}\n{out}\n{err}"
    feed = machine.path("/var/www/herald/weekly/atom.xml")
    assert feed.exists(), err
    # Its state went where StateDirectory= and the README say: /var/lib/herald/NAME.
    assert machine.path("/var/lib/herald/weekly").is_dir()

    process, port, log = start_serve(serve)
    try:
        assert get(port, "/healthz") == (200, b"ok\n")
        status, body = get(port, "/atom.xml")
        assert status == 200 and body == feed.read_bytes()
        assert get(port, "/subscribe")[0] == 200
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0
    # Both found the same state database: the one the run created.
    assert sorted(p.name for p in machine.path("/var/lib/herald").iterdir()) == ["weekly"]


def test_units_name_only_paths_that_install_systemd_or_the_readme_make(tmp_path, herald_bin):
    """No path in an installed unit that nothing creates (as HERALD_TEMPLATES once was):
    each is made by `make install`, by systemd (StateDirectory=, credentials), or is one of
    the README's set-up steps (publication, output folder, credentials, the git checkout)."""
    made_by_operator = ("/etc/herald/feeds/weekly", "/var/www/herald/weekly", "/etc/herald/credentials/weekly-",
                        "/srv/herald/weekly")
    for layout in LAYOUTS:
        machine = Machine(tmp_path / layout, herald_bin, layout)
        for template in ("herald@.service", "herald-serve@.service"):
            unit = machine.unit(template)
            values = [v for key, vs in unit.settings.items() for v in vs]
            paths = {unit.specifiers(p) for v in values for p in re.findall(r"(?:file://)?(/[\w@%./-]+)", v)}
            for path in paths:
                if path.startswith(made_by_operator) or path.startswith(("/var/lib/herald", "/run/")):
                    continue
                # /usr/bin/git is the git drop-in's tool, from the system's package.
                where = pathlib.Path(path) if path == "/usr/bin/git" else machine.path(path)
                assert where.exists(), f"{layout}: {template} names {path}, which nothing creates"
        assert not any("HERALD_TEMPLATES" in (machine.path(UNIT_DIR) / t).read_text()
                       for t in ("herald@.service", "herald-serve@.service"))


def test_serve_unit_without_its_publication_stops_with_one_clear_message(tmp_path, herald_bin):
    """A missing publication folder: exit 78 with the path and what it should hold, and
    Restart=on-failure does not start it again (no loop of the same lines every 2 s)."""
    machine = Machine(tmp_path, herald_bin)
    shutil.rmtree(machine.publication)
    serve = machine.unit("herald-serve@.service")
    process = serve.start(stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 78, err
    assert f"{machine.publication}/herald.yml" in err and "no such file or folder" in err, err
    assert len(err.strip().splitlines()) <= 3 and "Fatal error" not in err and "backtrace" not in err.lower(), err
    assert not serve.restarts_after(process.returncode)
    # A port still held by the last instance is worth another try.
    assert serve.restarts_after(69)


@pytest.mark.parametrize("hostile", ["symlink", "world-writable"])
def test_secret_files_that_others_control_are_refused(tmp_path, herald_bin, hostile):
    """A secret read from a file (digest.unsubscribe_secret_file, smtp.password_file, or a
    credentials folder set by hand) is refused when it is a symbolic link or writable by
    everyone: whoever controls it could sign unsubscribe links and forms, or read the password."""
    machine = Machine(tmp_path, herald_bin)
    secret = tmp_path / "real-secret"
    secret.write_text("c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA==\n")
    secret.chmod(0o600)
    target = machine.publication / "unsubscribe-secret"
    if hostile == "symlink":
        target.symlink_to(secret)
    else:
        shutil.copy(secret, target)
        target.chmod(0o666)
    yml = machine.publication / "herald.yml"
    yml.write_text(yml.read_text().replace("digest:\n", "digest:\n  unsubscribe_secret_file: unsubscribe-secret\n", 1))
    env = {k: v for k, v in os.environ.items() if k not in ("HERALD_UNSUBSCRIBE_SECRET", "CREDENTIALS_DIRECTORY")}
    env["STATE_DIRECTORY"] = str(tmp_path / "state")
    proc = subprocess.run([herald_bin, "serve", str(machine.publication), "--out", str(tmp_path / "out"),
                           "--listen", f"127.0.0.1:{smtp_servers.free_port()}"],
                          env=env, capture_output=True, text=True, timeout=30)
    assert proc.returncode == 78, proc.stderr
    assert str(target) in proc.stderr
    assert ("symbolic link" if hostile == "symlink" else "written by every user") in proc.stderr, proc.stderr
    assert "c2VjcmV0" not in proc.stderr
    # The same from a credentials folder made by hand (systemd's own holds read-only copies).
    creds = tmp_path / "creds"
    creds.mkdir()
    if hostile == "symlink":
        (creds / "unsubscribe-secret").symlink_to(secret)
    else:
        shutil.copy(secret, creds / "unsubscribe-secret")
        (creds / "unsubscribe-secret").chmod(0o666)
    yml.write_text(yml.read_text().replace("  unsubscribe_secret_file: unsubscribe-secret\n", ""))
    proc = subprocess.run([herald_bin, "serve", str(machine.publication), "--out", str(tmp_path / "out"),
                           "--listen", f"127.0.0.1:{smtp_servers.free_port()}"],
                          env=dict(env, CREDENTIALS_DIRECTORY=str(creds)), capture_output=True, text=True, timeout=30)
    assert proc.returncode == 78 and str(creds / "unsubscribe-secret") in proc.stderr, proc.stderr
