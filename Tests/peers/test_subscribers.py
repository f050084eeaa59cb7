"""`herald subscribers` as an operator uses it: one address type, parsed at the edge and
normalized, so the spellings of one person's address are one subscriber."""
import sqlite3


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
    assert proc.returncode == 0
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


def test_mailchimp_export_imports_with_names_and_statuses(herald, example_copy, tmp_path):
    state = tmp_path / "state"
    csv = tmp_path / "mailchimp.csv"
    rows = ['"Email Address","First Name","Last Name",MEMBER_RATING,OPTIN_TIME,STATUS']
    rows += [f'reader{i}@example.org,Reader,"No. {i}",2,"2024-01-01 10:00:00",subscribed' for i in range(50)]
    rows += ['cleaned@example.org,Gone,,1,,cleaned', 'left@example.org,Left,,1,,unsubscribed', 'bad@,Bad,,1,,subscribed']
    csv.write_text("\ufeff" + "\r\n".join(rows) + "\r\n", encoding="utf-8")
    proc = subscribers(herald, example_copy, state, "import", csv)
    assert proc.stdout == "imported 52, already present 0, bad rows 1\n"
    assert proc.stderr == f'{csv}:54: "bad@" is not a valid address (the domain is empty)\n'
    listed = subscribers(herald, example_copy, state, "list", "--all").stdout.splitlines()
    assert "reader7@example.org\tReader No. 7\tactive" in listed
    assert "cleaned@example.org\tGone\tbounced" in listed and "left@example.org\tLeft\tunsubscribed" in listed


def test_listmonk_export_and_mailbox_lines_and_standard_input(herald, example_copy, tmp_path):
    state = tmp_path / "state"
    listmonk = tmp_path / "listmonk.csv"
    listmonk.write_text("uuid,email,name,attributes,status,created_at,updated_at\n"
                        'a1,ana@example.org,Ana,"{""city"": ""Bern""}",enabled,2024-01-01,2024-01-01\n'
                        "b2,bo@example.org,Bo,{},blocklisted,2024-01-01,2024-01-01\n", encoding="utf-8")
    assert subscribers(herald, example_copy, state, "import", listmonk).stdout == "imported 2, already present 0, bad rows 0\n"
    lines = '"小明" <ming@例子.中国>\nCarol <carol@example.org>\n# a comment\ndave@example.org\nnot an address\n'
    proc = subscribers(herald, example_copy, state, "import", "-", input=lines)
    assert proc.stdout == "imported 3, already present 0, bad rows 1\n"
    assert proc.stderr.startswith('stdin:5: "not an address" is not a valid address')
    listed = subscribers(herald, example_copy, state, "list", "--all").stdout.splitlines()
    assert listed == ["ana@example.org\tAna\tactive", "bo@example.org\tBo\tunsubscribed",
                      "ming@例子.中国\t小明\tactive", "carol@example.org\tCarol\tactive", "dave@example.org\t\tactive"]


def test_dry_run_changes_nothing_and_nothing_importable_is_65(herald, example_copy, tmp_path):
    state = tmp_path / "state"
    csv = tmp_path / "people.csv"
    csv.write_text("email\nnew@example.org\n", encoding="utf-8")
    proc = subscribers(herald, example_copy, state, "import", csv, "--dry-run")
    assert proc.stdout == "would import 1, already present 0, bad rows 0\n"
    assert subscribers(herald, example_copy, state, "list").stdout == ""
    junk = tmp_path / "junk.txt"
    junk.write_text("hello\nworld\n", encoding="utf-8")
    bad = subscribers(herald, example_copy, state, "import", junk, check=False)
    assert bad.returncode == 65 and bad.stdout == "imported 0, already present 0, bad rows 2\n"


def test_add_refuses_a_name_that_breaks_the_rule_as_a_usage_error(herald, example_copy, tmp_path):
    state = tmp_path / "state"
    for name in ["Eve\x1b[31m red", "line one\nline two", "x" * 101]:
        proc = subscribers(herald, example_copy, state, "add", "eve@example.org", "--name", name, check=False)
        assert proc.returncode == 64, proc.stderr
        assert "a name is one line of at most 100 characters, without control characters" in proc.stderr
        assert "\x1b" not in proc.stderr and len(proc.stderr) < 300
    assert subscribers(herald, example_copy, state, "list", "--all").stdout == ""
    added = subscribers(herald, example_copy, state, "add", "eve@example.org", "--name", "  小明 ")
    assert added.stdout == "added eve@example.org\n"
    assert subscribers(herald, example_copy, state, "list").stdout == "eve@example.org\t小明\n"


def test_list_and_export_escape_control_characters_names_stored_as_given(herald, example_copy, tmp_path):
    state = tmp_path / "state"
    name = "Eve\x1b[31m red\nline\ttab"
    # Such a name is refused now, but a state written by an older version may hold one.
    subscribers(herald, example_copy, state, "add", "eve@example.org")
    with sqlite3.connect(state / "state.sqlite") as db:
        db.execute("UPDATE subscribers SET name = ? WHERE address_key = 'eve@example.org'", (name,))
    listed = subscribers(herald, example_copy, state, "list").stdout
    assert listed == "eve@example.org\tEve\\x1b[31m red\\nline\\ttab\n"
    exported = subscribers(herald, example_copy, state, "export").stdout
    assert "\x1b" not in exported and "Eve\\x1b[31m red\\nline\\ttab" in exported
    stored = subscribers(herald, example_copy, state, "list", "--json").stdout
    assert '"name" : "Eve\\u001b[31m red\\nline\\ttab"' in stored


def test_ten_thousand_row_mailchimp_export_with_twenty_bad_rows(herald, example_copy, tmp_path):
    state = tmp_path / "state"
    csv = tmp_path / "audience.csv"
    bad = set(range(123, 10_000, 500))  # 20 rows
    rows = ['"Email Address","First Name","Last Name"']
    for i in range(10_000):
        rows.append(f"broken{i}@@example.org,B,{i}" if i in bad else f"member{i}@example.org,M,{i}")
    csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    proc = subscribers(herald, example_copy, state, "import", csv)
    assert proc.stdout == "imported 9980, already present 0, bad rows 20\n"
    assert [int(line.split(":")[1]) for line in proc.stderr.splitlines()] == sorted(i + 2 for i in bad)
    assert len(subscribers(herald, example_copy, state, "list").stdout.splitlines()) == 9980


def test_a_broken_quote_is_reported_where_it_starts_and_swallows_no_rows(herald, example_copy, tmp_path):
    state = tmp_path / "state"
    csv = tmp_path / "people.csv"
    csv.write_text('email,name\na@example.org,"Ana\nb@example.org,Bob\nc@example.org,Cy\n'
                   'd@example.org,"Dee"\ne@example.org,"Eve\n', encoding="utf-8")
    proc = subscribers(herald, example_copy, state, "import", csv, check=False)
    assert proc.returncode == 0, proc.stderr
    broken = "the quoted field that starts on this line is never closed properly"
    lines = proc.stderr.splitlines()
    assert len(lines) == 2 and lines[0].startswith(f"{csv}:2: {broken}") and lines[1].startswith(f"{csv}:6: {broken}")
    assert proc.stdout == "imported 3, already present 0, bad rows 2\n"
    listed = subscribers(herald, example_copy, state, "list").stdout.splitlines()
    assert listed == ["b@example.org\tBob", "c@example.org\tCy", "d@example.org\tDee"]


def test_huge_fields_are_refused_and_never_echoed_whole(herald, example_copy, tmp_path):
    state = tmp_path / "state"
    csv = tmp_path / "people.csv"
    long_address = "a" * 60_000 + "@@example.org"
    csv.write_text(f"email,name\nbig@example.org,{'x' * 10_000_000}\n{long_address},Al\n"
                   f"status@example.org,Stu,{'y' * 50_000}\nok@example.org,Ok\n", encoding="utf-8")
    csv_with_status = tmp_path / "status.csv"
    csv_with_status.write_text(f"email,name,status\nstatus@example.org,Stu,{'y' * 50_000}\n", encoding="utf-8")
    proc = subscribers(herald, example_copy, state, "import", csv, check=False)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.splitlines()
    assert lines[0] == f"{csv}:2: a field longer than 64 KiB starts on this line (is a closing quote missing?); the row is skipped"
    assert lines[1].startswith(f'{csv}:3: "aaaa') and "…\" is not a valid address" in lines[1]
    assert len(proc.stderr) < 1000
    assert proc.stdout == "imported 2, already present 0, bad rows 2\n"
    status = subscribers(herald, example_copy, state, "import", csv_with_status, check=False)
    assert status.stderr.startswith(f'{csv_with_status}:2: status "yyyy') and len(status.stderr) < 400


def test_a_list_past_the_size_limit_is_refused_before_it_is_read(herald, example_copy, tmp_path):
    state = tmp_path / "state"
    huge = tmp_path / "huge.csv"
    with open(huge, "wb") as f:
        f.write(b"email\n")
        f.truncate(200 * 1024 * 1024)  # sparse: no disk, and Herald must not read it
    proc = subscribers(herald, example_copy, state, "import", huge, check=False)
    assert proc.returncode == 65
    assert proc.stderr == f"{huge}: larger than 128 MiB; split it into smaller files and import each " \
                          "(an import never re-adds or changes who is already there)\n"
    folder = subscribers(herald, example_copy, state, "import", tmp_path, check=False)
    assert folder.returncode == 65 and folder.stderr == f"{tmp_path}: cannot import it: not a regular file but a folder\n"


def test_mailchimp_names_keep_their_order_and_consent_is_kept_and_exported(herald, example_copy, tmp_path):
    state = tmp_path / "state"
    csv = tmp_path / "members.csv"
    csv.write_text('"Email Address","First Name","Last Name",OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,CONFIRM_IP,STATUS\n'
                   'wei@example.cn,伟,张,"2023-03-01 08:00:00",198.51.100.7,"2023-03-01 08:05:09",198.51.100.8,subscribed\n'
                   "yuna@example.kr,유나,김,,,2023-04-02 10:00:00,203.0.113.9,subscribed\n"
                   "ana@example.org,Ana,Lima,,,,,subscribed\n", encoding="utf-8")
    assert subscribers(herald, example_copy, state, "import", csv).stdout == "imported 3, already present 0, bad rows 0\n"
    listed = subscribers(herald, example_copy, state, "list").stdout.splitlines()
    assert listed == ["wei@example.cn\t张伟", "yuna@example.kr\t김유나", "ana@example.org\tAna Lima"]
    listmonk = tmp_path / "listmonk.csv"
    listmonk.write_text("uuid,email,name,attributes,status,created_at,updated_at\n"
                        'a1,bo@example.org,Bo,{},enabled,"2022-05-06 07:08:09.123456+02:00",2024-01-01\n',
                        encoding="utf-8")
    subscribers(herald, example_copy, state, "import", listmonk)
    exported = subscribers(herald, example_copy, state, "export").stdout.splitlines()
    assert exported[0] == ("address,name,status,consent_at,consent_client,consent_user_agent,consent_page,consent_source,"
                           "requested_at,requested_client")
    source = f"imported from {csv} (Mailchimp)"
    assert exported[1:] == [
        f"wei@example.cn,张伟,active,2023-03-01T08:05:09Z,198.51.100.8,,,{source},2023-03-01T08:00:00Z,198.51.100.7",
        f"yuna@example.kr,김유나,active,2023-04-02T10:00:00Z,203.0.113.9,,,{source},,",
        "ana@example.org,Ana Lima,active,,,,,,,",
        f"bo@example.org,Bo,active,,,,,,2022-05-06T05:08:09Z,",
    ]
    # Herald's own export read back keeps the consent and where it came from.
    again = tmp_path / "again"
    back = tmp_path / "export.csv"
    back.write_text("\n".join(exported) + "\n", encoding="utf-8")
    subscribers(herald, example_copy, again, "import", back)
    assert subscribers(herald, example_copy, again, "export").stdout.splitlines() == exported
