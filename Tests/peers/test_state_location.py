"""Where a publication's state lives, as a maintainer meets it: the same place whatever
folder a command is run from, never the current folder or the site's tree, `state:` in
herald.yml and --state-dir when asked, and said by -v and by status."""


def test_state_follows_the_publication_not_the_working_folder(herald, example_copy, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    herald("subscribers", example_copy, "add", "reader@example.org", cwd=elsewhere)
    listed = herald("subscribers", example_copy, "list", "-v", cwd=tmp_path)
    assert listed.stdout == "reader@example.org\t\n"
    expected = tmp_path / "xdg-state" / "herald" / "example"
    assert listed.stderr == f"state: {expected}\n"
    assert (expected / "state.sqlite").exists()
    assert list(elsewhere.iterdir()) == []
    assert not (example_copy / "state").exists()
    status = herald("status", example_copy, cwd=elsewhere)
    assert f"state: {expected}\n" in status.stdout
    assert "next digest: " in status.stdout and "(weekly Fri 15:00, Asia/Shanghai)" in status.stdout


def test_state_key_and_option_override_the_default(herald, example_copy, tmp_path):
    config = example_copy / "herald.yml"
    config.write_text(config.read_text(encoding="utf-8") + "state: ../example-state\n", encoding="utf-8")
    herald("subscribers", example_copy, "add", "a@example.org", cwd=tmp_path)
    assert (tmp_path / "example-state" / "state.sqlite").exists()
    herald("subscribers", example_copy, "add", "b@example.org", "--state-dir", tmp_path / "explicit")
    assert (tmp_path / "explicit" / "state.sqlite").exists()
    assert not (tmp_path / "xdg-state").exists()


def test_systemd_state_directory_wins_over_xdg(herald, example_copy, tmp_path):
    herald("subscribers", example_copy, "add", "a@example.org", env={"STATE_DIRECTORY": str(tmp_path / "lib")})
    assert (tmp_path / "lib" / "example" / "state.sqlite").exists()
