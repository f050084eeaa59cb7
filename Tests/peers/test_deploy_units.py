"""The systemd units must pass `systemd-analyze verify` with no warning at all:
verify exits 0 on unknown keys or bad values, so stderr is what tells."""
import os
import pathlib
import shutil
import subprocess

ROOT = pathlib.Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def verify(tmp_path, herald_bin, deploy=DEPLOY, instance="weekly"):
    # Verify the units as installed, with ExecStart pointing at a binary that exists here.
    for name in ("herald@.service", "herald@.timer", "herald-alert@.service"):
        text = (deploy / name).read_text().replace("/usr/local/bin/herald", herald_bin)
        (tmp_path / name).write_text(text)
        # The alert unit's instance is the failed unit's name, as OnFailure=herald-alert@%N.service makes it.
        inst = name.replace("@.", f"@herald@{instance}." if name.startswith("herald-alert") else f"@{instance}.")
        os.symlink(tmp_path / name, tmp_path / inst)
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
