"""Shared fixtures for the peer tests: the built herald binary and scratch folders.

These tests run herald as a user would and check its output with real
consumers (feedparser, xmllint, Python's email parser, SMTP servers)."""
import os
import pathlib
import shutil
import subprocess
import time

import pytest

import chromium
import smtp_servers

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def herald_bin():
    path = os.environ.get("HERALD_BIN", str(ROOT / ".build" / "debug" / "herald"))
    if not os.path.exists(path):
        pytest.fail(f"herald binary not found at {path}: run `swift build` first")
    return path


@pytest.fixture
def herald(herald_bin, tmp_path):
    """Run herald; returns CompletedProcess with text output. Each test has its own
    XDG_STATE_HOME, so state that a test leaves to the default place stays its own."""
    state_home = tmp_path / "xdg-state"
    def run(*args, check=True, env=None, **kw):
        full_env = dict(os.environ, XDG_STATE_HOME=str(state_home), **(env or {}))
        proc = subprocess.run([herald_bin, *map(str, args)], capture_output=True, text=True,
                              env=full_env, **kw)
        if check and proc.returncode != 0:
            raise AssertionError(f"herald {' '.join(map(str, args))} exited {proc.returncode}\n"
                                 f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
        return proc
    return run


@pytest.fixture
def example_copy(tmp_path):
    """A private copy of feeds/example, safe to modify."""
    dest = tmp_path / "example"
    shutil.copytree(ROOT / "feeds" / "example", dest)
    return dest


@pytest.fixture
def browser():
    """A headless Chromium driven by selenium."""
    if chromium.CHROMIUM is None or chromium.CHROMEDRIVER is None:
        pytest.fail("chromium and chromium-driver are needed (scripts/bootstrap installs them)")
    driver = chromium.start()
    yield driver
    driver.quit()


@pytest.fixture
def smtp_server():
    """`smtp_servers.start` for one test: every server it starts stops when the test ends,
    passed or failed."""
    started = []

    def start(*args, **kwargs):
        server = smtp_servers.start(*args, **kwargs)
        started.append(server)
        return server
    yield start
    for server in started:
        server.stop()


@pytest.fixture
def crash_seed():
    """The seed of a test that kills the sender at random moments: the clock, or
    HERALD_CRASH_SEED to rerun a failure (each such test names its seed when it fails)."""
    return int(os.environ.get("HERALD_CRASH_SEED", time.time()))


@pytest.fixture(scope="session")
def postgres():
    """A PostgreSQL cluster for the state tests: the one `scripts/test-postgres run` started
    around this run (HERALD_TEST_POSTGRES_URL), else one of its own, stopped at the end.
    Returns (url, password). A cluster that cannot start fails the test, never skips it."""
    if os.environ.get("HERALD_TEST_POSTGRES_URL"):
        yield os.environ["HERALD_TEST_POSTGRES_URL"], os.environ["HERALD_STATE_PASSWORD"]
        return
    proc = subprocess.run([str(ROOT / "scripts" / "test-postgres"), "start"], capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.fail(f"cannot start a PostgreSQL cluster (scripts/bootstrap test installs it):\n{proc.stderr}")
    settings = dict(line.split("=", 1) for line in proc.stdout.splitlines() if "=" in line)
    try:
        yield settings["HERALD_TEST_POSTGRES_URL"], settings["HERALD_STATE_PASSWORD"]
    finally:
        subprocess.run([str(ROOT / "scripts" / "test-postgres"), "stop", settings["HERALD_TEST_POSTGRES_DIR"]])


@pytest.fixture
def postgres_database(postgres):
    """A new, empty database of its own on the test cluster: (url, password)."""
    url, password = postgres
    name = f"t_{os.urandom(6).hex()}"
    host, port = url.split("//", 1)[1].split("/", 1)[0].rsplit(":", 1)
    bindir = os.environ.get("HERALD_TEST_POSTGRES_BIN") or sorted(str(p) for p in pathlib.Path("/usr/lib/postgresql").glob("*/bin"))[-1]
    subprocess.run([f"{bindir}/psql", "-h", host, "-p", port, "-U", "herald", "-d", "herald", "-qc", f"CREATE DATABASE {name}"],
                   check=True, env=dict(os.environ, PGPASSWORD=password))
    return url.replace("/herald?", f"/{name}?"), password
