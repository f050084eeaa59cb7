"""The systemd units must pass `systemd-analyze verify` with no warning at all:
verify exits 0 on unknown keys or bad values, so stderr is what tells."""
import os
import pathlib
import shutil
import subprocess

ROOT = pathlib.Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def verify(tmp_path, herald_bin, deploy=DEPLOY, instance="weekly", dropins=()):
    # Verify the units as installed, with ExecStart pointing at a binary that exists here.
    for name in ("herald@.service", "herald@.timer", "herald-alert@.service"):
        text = (deploy / name).read_text().replace("/usr/local/bin/herald", herald_bin)
        (tmp_path / name).write_text(text)
        # The alert unit's instance is the failed unit's name, as OnFailure=herald-alert@%N.service makes it.
        inst = name.replace("@.", f"@herald@{instance}." if name.startswith("herald-alert") else f"@{instance}.")
        os.symlink(tmp_path / name, tmp_path / inst)
    for dropin in dropins:
        target = tmp_path / "herald@.service.d"
        target.mkdir(exist_ok=True)
        shutil.copy(deploy / "herald@.service.d" / dropin, target / dropin)
    return subprocess.run(
        ["systemd-analyze", "verify", "--man=no",
         str(tmp_path / f"herald@{instance}.service"), str(tmp_path / f"herald@{instance}.timer"),
         str(tmp_path / f"herald-alert@herald@{instance}.service")],
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
