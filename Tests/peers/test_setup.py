"""The set-up a maintainer meets: `make run` installs only what running needs, and
`make install PREFIX=…` puts the binary, its man page (from the argument parser) and the
systemd units naming them there."""
import pathlib
import re
import subprocess

ROOT = pathlib.Path(__file__).resolve().parents[2]


def packages(mode):
    out = subprocess.run([ROOT / "scripts" / "bootstrap", mode, "--list"], check=True, capture_output=True, text=True)
    return set(out.stdout.split("\n")) - {""}


def test_running_needs_no_test_peers():
    run, test = packages("run"), packages("test")
    assert run < test
    for peer in ["deb postfix", "deb chromium", "deb libxml2-utils", "pip pytest", "pip aiosmtpd"]:
        assert peer not in run and peer in test
    # Hugo is a test peer too: test_hugo.py holds the permalinks to `hugo list all`.
    assert "deb hugo" in packages("bench") and "deb hugo" in test and "deb hugo" not in run


def test_make_install_puts_binary_and_man_page_under_prefix(tmp_path):
    proc = subprocess.run(["make", "-s", "install", f"PREFIX={tmp_path}", "CONFIG=debug"], cwd=ROOT,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    binary = tmp_path / "bin" / "herald"
    version = subprocess.run([binary, "--version"], capture_output=True, text=True, check=True).stdout
    page = (tmp_path / "share" / "man" / "man1" / "herald.1").read_text(encoding="utf-8")
    assert ".TH HERALD" in page or ".Dt HERALD" in page
    for command in ["check", "build", "send", "subscribers", "templates"]:
        assert command in page
    man = subprocess.run(["man", "-l", str(tmp_path / "share" / "man" / "man1" / "herald.1")], capture_output=True,
                         text=True, env={"MANPAGER": "cat", "PATH": "/usr/bin:/bin", "MANWIDTH": "100"})
    if man.returncode == 0:  # man-db renders it when present
        assert "herald" in man.stdout
    assert version.strip()
    # The units, rewritten for this PREFIX: what they start and document is what was installed.
    units = tmp_path / "lib" / "systemd" / "system"
    for name in ["herald@.service", "herald@.timer", "herald-serve@.service", "herald-alert@.service"]:
        text = (units / name).read_text()
        assert "/usr/local/" not in text, name
        for path in re.findall(r"(?:ExecStart=|Documentation=file://)(/\S+)", text):
            if path.startswith(str(tmp_path)):
                assert pathlib.Path(path).exists(), f"{name} names {path}"
    assert f"ExecStart={binary} run" in (units / "herald@.service").read_text()
