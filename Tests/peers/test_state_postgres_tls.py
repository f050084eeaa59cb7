"""`state: postgresql://…?sslmode=…&sslrootcert=…` against a real cluster with ssl=on and a
certificate signed by a CA made for the test (scripts/test-postgres start --tls), and against
the main test cluster, which has no TLS."""
import shutil
import subprocess

import pytest

from conftest import ROOT


@pytest.fixture(scope="module")
def tls_postgres():
    """A cluster with TLS of its own: (port, password, CA file). Fails, never skips, if it cannot start."""
    proc = subprocess.run([str(ROOT / "scripts" / "test-postgres"), "start", "--tls"], capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.fail(f"cannot start a PostgreSQL cluster with TLS (scripts/bootstrap test installs it):\n{proc.stderr}")
    settings = dict(line.split("=", 1) for line in proc.stdout.splitlines() if "=" in line)
    port = settings["HERALD_TEST_POSTGRES_URL"].split("//", 1)[1].split("/", 1)[0].rsplit(":", 1)[1]
    try:
        yield port, settings["HERALD_STATE_PASSWORD"], settings["HERALD_TEST_POSTGRES_CA"]
    finally:
        subprocess.run([str(ROOT / "scripts" / "test-postgres"), "stop", settings["HERALD_TEST_POSTGRES_DIR"]])


def with_state(example_copy, line):
    config = example_copy / "herald.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text + line + "\n", encoding="utf-8")
    return len(text.splitlines()) + 1


def test_check_connects_with_verify_full_and_the_ca_beside_herald_yml(herald, example_copy, tls_postgres):
    port, password, ca = tls_postgres
    shutil.copy(ca, example_copy / "ca.pem")
    with_state(example_copy, f"state: postgresql://127.0.0.1:{port}/herald?user=herald&sslmode=verify-full&sslrootcert=ca.pem")
    herald("check", example_copy, env={"HERALD_STATE_PASSWORD": password})


def test_verify_full_without_the_ca_says_to_set_sslrootcert(herald, example_copy, tls_postgres):
    port, password, _ = tls_postgres
    with_state(example_copy, f"state: postgresql://127.0.0.1:{port}/herald?user=herald&sslmode=verify-full")
    env = {"HERALD_STATE_PASSWORD": password}
    check = herald("check", example_copy, check=False, env=env)
    assert check.returncode == 78, check.stderr
    assert f"postgresql://127.0.0.1:{port}/herald" in check.stderr and "sslrootcert=" in check.stderr, check.stderr
    listing = herald("subscribers", example_copy, "list", check=False, env=env)
    assert listing.returncode == 76, listing.stderr
    assert "not signed by a CA in the system's trust store" in listing.stderr
    assert password not in listing.stderr + check.stderr


def test_require_against_a_server_without_tls_says_what_to_set(herald, example_copy, postgres):
    url, password = postgres
    with_state(example_copy, f"state: {url}&sslmode=require")
    proc = herald("subscribers", example_copy, "list", check=False, env={"HERALD_STATE_PASSWORD": password})
    assert proc.returncode == 76, proc.stderr
    assert "offers no TLS" in proc.stderr and "sslmode=disable" in proc.stderr, proc.stderr


def test_a_wrong_sslmode_is_refused_at_the_state_line(herald, example_copy):
    line = with_state(example_copy, "state: postgresql://db.example.org/herald?sslmode=verify")
    proc = herald("check", example_copy, check=False)
    assert proc.returncode == 78, proc.stderr
    assert f"herald.yml:{line}:" in proc.stderr and "sslmode=verify is not one of" in proc.stderr, proc.stderr
