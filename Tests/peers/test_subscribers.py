"""`herald subscribers` as an operator uses it: one address type, parsed at the edge and
normalized, so the spellings of one person's address are one subscriber."""


def subscribers(herald, pub, state, *args, **kw):
    return herald("subscribers", pub, *args, "--state-dir", state, **kw)


def test_spellings_of_one_address_are_one_subscriber(herald, example_copy, tmp_path):
    state = tmp_path / "state"
    first = subscribers(herald, example_copy, state, "add", "A@Bücher.example")
    assert first.stdout == "added A@bücher.example\n"
    for spelling in ["a@xn--bcher-kva.example", "a@bücher.example", "A@BÜCHER.EXAMPLE"]:
        again = subscribers(herald, example_copy, state, "add", spelling)
        assert again.stdout.endswith("is already subscribed\n"), again.stdout
    listed = subscribers(herald, example_copy, state, "list")
    assert listed.stdout == "A@bücher.example\t\n"


def test_import_counts_spellings_once_and_names_bad_lines(herald, example_copy, tmp_path):
    state = tmp_path / "state"
    csv = tmp_path / "people.csv"
    csv.write_text("email,name\nA@Bücher.example,Ana\na@xn--bcher-kva.example,Ana again\nbob@@x.org,Bob\n"
                   "carol@例子.中国,Carol\n", encoding="utf-8")
    proc = subscribers(herald, example_copy, state, "import", csv, check=False)
    assert proc.returncode == 65
    assert proc.stderr == f"{csv}:4: \"bob@@x.org\" is not a valid address (\"@\" is not allowed in the local part)\n"
    assert proc.stdout == "imported 2, already present 1, bad rows 1\n"
    listed = subscribers(herald, example_copy, state, "list").stdout.splitlines()
    assert listed == ["A@bücher.example\tAna", "carol@例子.中国\tCarol"]


def test_add_refuses_what_cannot_be_sent_to(herald, example_copy, tmp_path):
    state = tmp_path / "state"
    for bad, reason in [("a@b.org\r\nBcc: x@y.org", "control character"), ("用户@example.org", "SMTPUTF8"),
                        ("a@localhost", "no dot")]:
        proc = subscribers(herald, example_copy, state, "add", bad, check=False)
        assert proc.returncode == 64, proc.stderr
        assert reason in proc.stderr


def test_remove_of_an_unknown_address_is_no_error_like_add_of_a_known_one(herald, example_copy, tmp_path):
    state = tmp_path / "state"
    proc = subscribers(herald, example_copy, state, "remove", "nobody@example.org")
    assert proc.returncode == 0
    assert proc.stdout == "nobody@example.org is not a subscriber: nothing to remove\n"
    subscribers(herald, example_copy, state, "add", "Reader@Example.org")
    removed = subscribers(herald, example_copy, state, "remove", "reader@example.org")
    assert removed.stdout == "removed reader@example.org\n"
    assert subscribers(herald, example_copy, state, "list").stdout == ""
