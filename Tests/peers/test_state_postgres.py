"""The state in PostgreSQL, as an operator meets it: `state: postgresql://…` in herald.yml,
the password from the environment, a file or a systemd credential and never from the URL,
and a real cluster (scripts/test-postgres) behind it."""


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


def test_commands_without_postgresql_support_refuse_instead_of_using_sqlite(herald, example_copy, postgres, tmp_path):
    url, password = postgres
    with_state(example_copy, f"state: {url}")
    env = {"HERALD_STATE_PASSWORD": password}
    proc = herald("subscribers", example_copy, "add", "a@example.org", check=False, env=env)
    assert proc.returncode == 69, proc.stderr
    assert "PostgreSQL" in proc.stderr
    assert not (tmp_path / "xdg-state" / "herald" / "example" / "state.sqlite").exists()
