"""The systemd units, in each layout deploy/README.md documents: they pass `systemd-analyze
verify` with no warning at all (verify exits 0 on unknown keys or bad values, so stderr is what
tells), and after `make install DESTDIR=…` their commands start and work when run the way
systemd runs them (installed.py, systemd_unit.py), including the ways they must fail."""
import os
import pathlib
import re
import shutil
import subprocess

import pytest

import installed
import smtp_servers

ROOT = pathlib.Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def verify(tmp_path, herald_bin, deploy=DEPLOY, instance="weekly", dropins=(), serve_instance=None):
    # Verify the units as installed, with ExecStart pointing at a binary that exists here.
    serve_instance = serve_instance or instance
    for name in ("herald@.service", "herald@.timer", "herald-alert@.service", "herald-serve@.service"):
        text = (deploy / name).read_text().replace("/usr/local/bin/herald", herald_bin)
        (tmp_path / name).write_text(text)
        # The alert unit's instance is the failed unit's name, as OnFailure=herald-alert@%N.service makes it.
        inst = name.replace("@.", f"@herald@{instance}." if name.startswith("herald-alert")
                            else f"@{serve_instance}." if name.startswith("herald-serve") else f"@{instance}.")
        os.symlink(tmp_path / name, tmp_path / inst)
    for dropin in dropins:  # relative to deploy/: herald@.service.d/site-in-git.conf
        (tmp_path / dropin).parent.mkdir(exist_ok=True)
        shutil.copy(deploy / dropin, tmp_path / dropin)
    return subprocess.run(
        ["systemd-analyze", "verify", "--man=no",
         str(tmp_path / f"herald@{instance}.service"), str(tmp_path / f"herald@{instance}.timer"),
         str(tmp_path / f"herald-alert@herald@{instance}.service"),
         str(tmp_path / f"herald-serve@{serve_instance}.service")],
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
    proc = verify(tmp_path, herald_bin, dropins=[f"{u}.service.d/site-in-git.conf" for u in ("herald@", "herald-serve@")])
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.strip() == "", proc.stderr
    dropin = (DEPLOY / "herald@.service.d" / "site-in-git.conf").read_text()
    assert "HERALD_PUBLICATION=/srv/herald/%i" in dropin and "pull --ff-only" in dropin
    assert "${HERALD_PUBLICATION}" in (DEPLOY / "herald@.service").read_text()


def test_beside_hugo_dropins_verify(tmp_path, herald_bin):
    proc = verify(tmp_path, herald_bin, instance="site-zh", serve_instance="site",
                  dropins=["herald@.service.d/beside-hugo.conf", "herald-serve@site.service.d/beside-hugo.conf"])
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.strip() == "", proc.stderr


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

@pytest.mark.parametrize("layout", sorted(installed.LAYOUTS))
def test_units_start_as_installed(tmp_path, herald_bin, layout, smtp_server):
    """`make install`, the README's set-up, then each unit's commands as systemd runs them:
    each timer's service publishes and exits 0, serve answers /healthz and serves what they published."""
    smtp = smtp_server(smtp_servers.Recorder())
    machine = installed.Machine(tmp_path, herald_bin, layout, smtp_port=smtp.port)
    runs, serve = machine.runs(), machine.serve()
    # serve reads the publications the timers publish, and the folder they write, in every layout.
    serve_env = serve.environment()
    assert serve_env.get("HERALD_PUBLICATION", "").split() == [r.environment().get("HERALD_PUBLICATION") for r in runs]
    assert serve_env["HERALD_PUBLICATION"].split() == [str(machine.publication(i)) for i in machine.layout["runs"]]
    for run in runs:
        assert run.environment().get("HERALD_OUT") == serve_env.get("HERALD_OUT") == str(machine.out), run.name

    machine.publish()
    for instance in machine.layout["runs"]:
        assert machine.feed(instance).exists(), f"{instance}: no {machine.feed(instance)}"
        # Its state went where StateDirectory= and the README say: /var/lib/herald/NAME.
        assert machine.path(f"/var/lib/herald/{instance}").is_dir()
    with machine.serving() as port:
        assert installed.get(port, "/healthz") == (200, b"ok\n")
        for instance, mount in machine.layout["mounts"].items():
            status, body = installed.get(port, mount + "atom.xml")
            assert status == 200 and body == machine.feed(instance).read_bytes(), f"{mount}atom.xml: {status}"
            assert installed.get(port, mount + "subscribe", accept="text/html")[0] == 200
    # serve found the state databases the runs made, and made no other.
    assert sorted(p.name for p in machine.path("/var/lib/herald").iterdir()) == sorted(machine.layout["runs"])


def test_units_name_only_paths_that_install_systemd_or_the_readme_make(tmp_path, herald_bin):
    """No path in an installed unit that nothing creates (as HERALD_TEMPLATES once was):
    each is made by `make install`, by systemd (StateDirectory=, credentials), or is one of
    the README's set-up steps (publication, output folder, credentials, the git checkout)."""
    for layout, spec in installed.LAYOUTS.items():
        machine = installed.Machine(tmp_path / layout, herald_bin, layout)
        made_by_operator = (*spec["runs"].values(), spec["out"], f"/etc/herald/credentials/{spec['credentials']}-",
                            "/srv/site")
        for unit in [*machine.runs(), machine.serve()]:
            # What is in effect: the last Environment= of a variable, every other setting's value.
            values = [v for key, vs in unit.settings.items() if key != "Environment" for v in vs]
            values += list(unit.declared_environment().values())
            paths = {unit.specifiers(p) for v in values for p in re.findall(r"(?:file://)?(/[\w@%./-]+)", v)}
            for path in paths:
                if path.startswith(made_by_operator) or path.startswith(("/var/lib/herald", "/run/")):
                    continue
                # /usr/bin/git is the git drop-in's tool, from the system's package.
                where = pathlib.Path(path) if path == "/usr/bin/git" else machine.path(path)
                assert where.exists(), f"{layout}: {unit.name} names {path}, which nothing creates"
        assert not any("HERALD_TEMPLATES" in (machine.path(installed.UNIT_DIR) / t).read_text()
                       for t in ("herald@.service", "herald-serve@.service"))


def test_serve_unit_without_its_publication_stops_with_one_clear_message(tmp_path, herald_bin):
    """A missing publication folder: exit 78 with the path and what it should hold, and
    Restart=on-failure does not start it again (no loop of the same lines every 2 s)."""
    machine = installed.Machine(tmp_path, herald_bin)
    shutil.rmtree(machine.publication("weekly"))
    serve = machine.serve()
    process = serve.start(stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 78, err
    assert f"{machine.publication('weekly')}/herald.yml" in err and "no such file or folder" in err, err
    assert len(err.strip().splitlines()) <= 3 and "Fatal error" not in err and "backtrace" not in err.lower(), err
    assert not serve.restarts_after(process.returncode)
    # A port still held by the last instance is worth another try.
    assert serve.restarts_after(69)
    # The timer's run says the same, once (a oneshot: its failure starts the alert unit).
    [run] = machine.runs()
    process = run.start(stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 78 and "no such file or folder" in err and len(err.strip().splitlines()) <= 3, err


@pytest.mark.parametrize("hostile", ["symlink", "world-writable"])
def test_secret_files_that_others_control_are_refused(tmp_path, herald_bin, hostile):
    """A secret read from a file (digest.unsubscribe_secret_file, smtp.password_file, or a
    credentials folder set by hand) is refused when it is a symbolic link or writable by
    everyone: whoever controls it could sign unsubscribe links and forms, or read the password."""
    machine = installed.Machine(tmp_path, herald_bin)
    publication = machine.publication("weekly")
    secret = tmp_path / "real-secret"
    secret.write_text("c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA==\n")
    secret.chmod(0o600)
    target = publication / "unsubscribe-secret"
    if hostile == "symlink":
        target.symlink_to(secret)
    else:
        shutil.copy(secret, target)
        target.chmod(0o666)
    yml = publication / "herald.yml"
    yml.write_text(yml.read_text().replace("digest:\n", "digest:\n  unsubscribe_secret_file: unsubscribe-secret\n", 1))
    env = {k: v for k, v in os.environ.items() if k not in ("HERALD_UNSUBSCRIBE_SECRET", "CREDENTIALS_DIRECTORY")}
    env["STATE_DIRECTORY"] = str(tmp_path / "state")
    proc = subprocess.run([herald_bin, "serve", str(publication), "--out", str(tmp_path / "out"),
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
    proc = subprocess.run([herald_bin, "serve", str(publication), "--out", str(tmp_path / "out"),
                           "--listen", f"127.0.0.1:{smtp_servers.free_port()}"],
                          env=dict(env, CREDENTIALS_DIRECTORY=str(creds)), capture_output=True, text=True, timeout=30)
    assert proc.returncode == 78 and str(creds / "unsubscribe-secret") in proc.stderr, proc.stderr
