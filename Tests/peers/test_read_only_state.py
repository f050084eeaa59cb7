"""Commands that only read a publication's state work where that state is read-only to
them (another user's folder, a read-only bind mount): status, subscribers list and export,
token make and verify. They never create the database: with none yet they answer as for
an empty one, and `status` says there is none.
`herald build` publishes its feeds even when it cannot record the build in the state folder.

As root, permissions do not stop anything, so the commands then run as `nobody`
(setpriv) in a world-readable copy; as anyone else, chmod is enough."""
import json
import os
import pathlib
import shutil
import stat
import subprocess
import tempfile

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SECRET = {"HERALD_UNSUBSCRIBE_SECRET": "peer-test-secret-0123456789abcdef"}
NOBODY = 65534


@pytest.fixture
def shared():
    """A folder every user can read and enter (pytest's own tmp_path is the owner's only)."""
    path = pathlib.Path(tempfile.mkdtemp(prefix="herald-ro-"))
    path.chmod(0o755)
    yield path
    for folder, dirs, _ in os.walk(path):
        for d in dirs:
            os.chmod(os.path.join(folder, d), 0o755)
    shutil.rmtree(path)


def as_reader(herald_bin, *args, env=None):
    """herald run by a user who cannot write the state: `nobody` when we are root."""
    prefix = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"] if os.geteuid() == 0 else []
    full_env = dict(os.environ, HOME="/nonexistent", **(env or {}))
    return subprocess.run([*prefix, herald_bin, *map(str, args)], capture_output=True, text=True, env=full_env)


def readable_tree(path):
    for folder, dirs, files in os.walk(path):
        os.chmod(folder, 0o755)
        for f in files:
            os.chmod(os.path.join(folder, f), 0o644)


def freeze(path):
    """The folder and everything in it read-only to everyone (but root)."""
    for folder, dirs, files in os.walk(path):
        for f in files:
            os.chmod(os.path.join(folder, f), 0o444)
        os.chmod(folder, 0o555)


def publication_with_state(herald, shared):
    pub = shared / "example"
    shutil.copytree(ROOT / "feeds" / "example", pub)
    state = shared / "state"
    herald("subscribers", pub, "add", "reader@example.org", "--name", "Reader", "--state-dir", state)
    herald("subscribers", pub, "add", "gone@example.org", "--state-dir", state)
    herald("subscribers", pub, "remove", "gone@example.org", "--state-dir", state)
    readable_tree(shared)
    return pub, state


def test_read_only_commands_work_on_a_read_only_state_folder(herald_bin, herald, shared):
    pub, state = publication_with_state(herald, shared)
    token = herald("token", "make", pub, "reader@example.org", "--state-dir", state, env=SECRET).stdout.strip()
    expected_list = herald("subscribers", pub, "list", "--all", "--state-dir", state).stdout
    expected_export = herald("subscribers", pub, "export", "--state-dir", state).stdout
    freeze(state)
    before = sorted(p.name for p in state.iterdir())

    status = as_reader(herald_bin, "status", pub, "--state-dir", state, "--json")
    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout)["subscribers"]["active"] == 1
    listed = as_reader(herald_bin, "subscribers", pub, "list", "--all", "--state-dir", state)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout == expected_list
    exported = as_reader(herald_bin, "subscribers", pub, "export", "--state-dir", state)
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout == expected_export
    made = as_reader(herald_bin, "token", "make", pub, "reader@example.org", "--state-dir", state, env=SECRET)
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip() == token
    verified = as_reader(herald_bin, "token", "verify", pub, token, "--state-dir", state, env=SECRET)
    assert verified.returncode == 0, verified.stderr
    assert verified.stdout.strip() == "reader@example.org"

    assert sorted(p.name for p in state.iterdir()) == before
    # A command that writes still says it cannot.
    added = as_reader(herald_bin, "subscribers", pub, "add", "new@example.org", "--state-dir", state)
    assert added.returncode != 0


def test_read_only_commands_create_no_database_and_answer_as_for_an_empty_one(herald, tmp_path, example_copy):
    state = tmp_path / "no-state"
    status = herald("status", example_copy, "--state-dir", state)
    assert f"state: {state} (no state database yet: nothing subscribed, imported or sent)\n" in status.stdout
    assert "subscribers: 0 active, 0 unsubscribed, 0 bounced\nno digest sent yet" in status.stdout
    assert json.loads(herald("status", example_copy, "--state-dir", state, "--json").stdout)["digests"] == []
    assert herald("subscribers", example_copy, "list", "--state-dir", state).stdout == ""
    assert herald("subscribers", example_copy, "export", "--state-dir", state).stdout.startswith("address,name,status,")
    made = herald("token", "make", example_copy, "a@example.org", "--state-dir", state, check=False, env=SECRET)
    assert made.returncode == 65 and "a@example.org is not a subscriber" in made.stderr
    verified = herald("token", "verify", example_copy, "0" * 32, "--state-dir", state, check=False, env=SECRET)
    assert verified.returncode == 65 and "not valid" in verified.stderr
    assert not state.exists()


def test_build_publishes_feeds_when_it_cannot_record_the_build(herald_bin, herald, shared):
    pub = shared / "example"
    shutil.copytree(ROOT / "feeds" / "example", pub)
    out, state = shared / "out", shared / "state"
    out.mkdir()
    state.mkdir()
    readable_tree(shared)
    if os.geteuid() == 0:
        os.chown(out, NOBODY, NOBODY)  # the output is the reader's; the state folder is not
    freeze(state)
    proc = as_reader(herald_bin, "build", pub, "--out", out, "--state-dir", state)
    assert proc.returncode == 0, proc.stderr
    assert (out / "atom.xml").exists() and (out / "rss.xml").exists()
    assert "warning:" in proc.stderr and "feeds-build.json" in proc.stderr, proc.stderr
    assert list(state.iterdir()) == []
    assert "feeds: " in proc.stdout and "written" in proc.stdout
