"""The state in PostgreSQL, as an operator meets it: `state: postgresql://…` in herald.yml,
the password from the environment, a file or a systemd credential and never from the URL,
and a real cluster (scripts/test-postgres) behind it."""
import shutil


def with_state(example_copy, line):
    config = example_copy / "herald.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text + line + "\n", encoding="utf-8")
    return len(text.splitlines()) + 1


def test_a_password_in_the_url_is_refused_at_its_line(herald, example_copy):
    line = with_state(example_copy, "state: postgresql://herald:hunter2@db.example.org/weekly")
    proc = herald("check", example_copy, check=False)
    assert proc.returncode == 78, proc.stderr
    assert f"herald.yml:{line}:" in proc.stderr
    assert "HERALD_STATE_PASSWORD" in proc.stderr
    assert "hunter2" not in proc.stderr + proc.stdout


def test_a_password_as_a_query_setting_is_refused_too(herald, example_copy):
    with_state(example_copy, "state: postgresql://db.example.org/weekly?user=h&password=hunter2")
    proc = herald("check", example_copy, check=False)
    assert proc.returncode == 78, proc.stderr
    assert "hunter2" not in proc.stderr + proc.stdout


def test_check_connects_with_the_password_from_the_environment(herald, example_copy, postgres):
    url, password = postgres
    with_state(example_copy, f"state: {url}")
    herald("check", example_copy, env={"HERALD_STATE_PASSWORD": password})
    wrong = herald("check", example_copy, check=False, env={"HERALD_STATE_PASSWORD": "wrong-pw-1234"})
    assert wrong.returncode == 78, wrong.stderr
    assert "password authentication failed" in wrong.stderr
    assert "wrong-pw-1234" not in wrong.stderr + wrong.stdout


def test_check_reads_the_password_file_and_the_credential(herald, example_copy, postgres, tmp_path):
    url, password = postgres
    (tmp_path / "creds").mkdir()
    (tmp_path / "creds" / "state-password").write_text(password + "\n", encoding="utf-8")
    with_state(example_copy, f"state: {url}")
    no_env = {"HERALD_STATE_PASSWORD": ""}
    herald("check", example_copy, env={**no_env, "CREDENTIALS_DIRECTORY": str(tmp_path / "creds")})
    (example_copy / "secret").write_text(password + "\n", encoding="utf-8")
    with_state(example_copy, "state_password_file: secret")
    herald("check", example_copy, env=no_env)


def test_subscribers_go_to_the_database_never_to_a_sqlite_file_beside_it(herald, example_copy, postgres_database, tmp_path):
    url, password = postgres_database
    with_state(example_copy, f"state: {url}")
    env = {"HERALD_STATE_PASSWORD": password}
    assert herald("subscribers", example_copy, "add", "a@example.org", env=env).stdout.strip() == "added a@example.org"
    assert herald("subscribers", example_copy, "list", env=env).stdout.strip() == "a@example.org"
    assert not (tmp_path / "xdg-state" / "herald" / "example" / "state.sqlite").exists()
    wrong = herald("subscribers", example_copy, "list", check=False, env={"HERALD_STATE_PASSWORD": "wrong-pw-1234"})
    assert wrong.returncode == 69, wrong.stderr
    assert "password authentication failed" in wrong.stderr and "wrong-pw-1234" not in wrong.stderr + wrong.stdout


def test_state_copy_to_postgresql_and_back(herald, example_copy, postgres_database, tmp_path):
    """A SQLite state copied into a new database, then back into a new folder: every table's
    rows and checksum are printed and agree, and the subscribers read back are the same."""
    url, password = postgres_database
    env = {"HERALD_STATE_PASSWORD": password}
    for n in range(5):
        herald("subscribers", example_copy, "add", f"r{n}@example.org", "--name", f"读者 {n}")
    herald("subscribers", example_copy, "remove", "r2@example.org")
    before = herald("subscribers", example_copy, "list", "--all").stdout

    there = herald("state", "copy", example_copy, "--to", url, env=env)
    lines = there.stdout.splitlines()
    assert lines[1].startswith("to   postgresql://127.0.0.1:")
    tables = {line.split(":")[0]: line for line in lines[2:]}
    assert set(tables) == {"subscribers", "digests", "deliveries", "pending_subscriptions", "consents", "bounce_reports",
                           "feed_fetches", "feed_entries"}
    assert all(line.endswith(" same") for line in tables.values()), there.stdout
    assert "subscribers: 5 rows" in tables["subscribers"]
    assert password not in there.stdout + there.stderr

    again = herald("state", "copy", example_copy, "--to", url, check=False, env=env)
    assert again.returncode == 73, again.stderr
    assert "not empty" in again.stderr

    served = tmp_path / "served"
    shutil.copytree(example_copy, served)
    with_state(served, f"state: {url}")
    back = herald("state", "copy", served, "--to", tmp_path / "back", env=env)
    # The same rows and checksums the other way round.
    assert [line.split(" ", 1)[1] for line in back.stdout.splitlines()[2:]] == \
        [line.split(" ", 1)[1] for line in lines[2:]], back.stdout
    assert herald("subscribers", example_copy, "list", "--all", "--state-dir", tmp_path / "back").stdout == before
