"""`herald check` as a user runs it: on the example publication, and on a copy of it
broken in every way the loader must report (each problem on its own line, as
path:line: message, on stderr, exit status 65)."""
import pathlib
import re

EX_DATAERR = 65
EX_CONFIG = 78


def line_of(path: pathlib.Path, text: str) -> int:
    """1-based number of the first line of `path` that starts with `text`."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith(text):
            return number
    raise AssertionError(f"{text!r} not in {path}")


def test_clean_example_exits_zero_with_a_summary(herald, example_copy):
    posts = sorted(example_copy.joinpath("posts").rglob("*.md"))
    proc = herald("check", example_copy.name, cwd=example_copy.parent)
    assert proc.returncode == 0
    assert proc.stderr == ""
    assert proc.stdout == f"example: {len(posts)} posts, {len(posts)} published, 0 drafts/future\n"


def test_a_language_without_labels_is_noted_not_refused(herald, example_copy):
    """French has no templates/labels/fr.yml yet: check passes and says the words around the posts
    will be English, and how to translate them; zh-TW has its table (zh-Hant) and no note."""
    config = example_copy / "herald.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("language: zh-CN", "language: fr-FR"), encoding="utf-8")
    proc = herald("check", "example", cwd=example_copy.parent)
    assert proc.returncode == 0
    line = line_of(config, "language:")
    assert proc.stderr == (f"example/herald.yml:{line}: language fr-FR has no label table (templates/labels/fr.yml in Herald's "
                           "source), so the digest, the subscriber pages and the feed page say their own words in "
                           "English; a translation is one file with the keys of templates/labels/en.yml\n")
    config.write_text(config.read_text(encoding="utf-8").replace("language: fr-FR", "language: zh-TW"), encoding="utf-8")
    assert herald("check", "example", cwd=example_copy.parent).stderr == ""


def test_drafts_and_future_posts_are_counted_apart(herald, example_copy):
    posts = example_copy / "posts"
    first = sorted(posts.glob("*.md"))[0]
    first.write_text(first.read_text(encoding="utf-8").replace("---\n", "---\ndraft: true\n", 1), encoding="utf-8")
    (posts / "2999-01-01-later.md").write_text("---\ntitle: 以后\ndate: 2999-01-01\n---\n还没到。\n", encoding="utf-8")
    total = len(list(posts.rglob("*.md")))
    proc = herald("check", "example", cwd=example_copy.parent)
    assert proc.stdout == f"example: {total} posts, {total - 2} published, 2 drafts/future\n"


def test_broken_example_reports_every_problem(herald, example_copy):
    posts = example_copy / "posts"
    shown = lambda p: f"example/{p.relative_to(example_copy).as_posix()}"  # noqa: E731

    impossible = sorted(posts.glob("*.md"))[0]
    text = impossible.read_text(encoding="utf-8")
    impossible.write_text(re.sub(r"^date: .*$", "date: 2023-02-30", text, count=1, flags=re.M), encoding="utf-8")

    untitled = sorted(posts.glob("*.md"))[1]
    untitled.write_text(re.sub(r'^title: .*\n', "", untitled.read_text(encoding="utf-8"), count=1, flags=re.M),
                        encoding="utf-8")

    bad_yaml = posts / "2024-07-01-bad-yaml.md"
    bad_yaml.write_text('---\ntitle: "坏的 YAML"\ntags: ["开源之夏", "Community Weekly"\ndate: 2024-07-01\n---\n正文\n',
                        encoding="utf-8")

    latin1 = posts / "2024-07-02-latin1.md"
    head = "---\ntitle: Caf".encode()
    latin1.write_bytes(head + b"\xe9\ndate: 2024-07-02\n---\n")

    unclosed = posts / "2024-07-03-unclosed.md"
    unclosed.write_text("---\ntitle: 没有结束\ndate: 2024-07-03\n\n正文\n", encoding="utf-8")

    empty = posts / "2024-07-04-empty.md"
    empty.write_text("", encoding="utf-8")

    toml = posts / "2024-07-05-toml.md"
    # TOML front matter is read (Hugo's +++); a bad value is named with its line.
    toml.write_text('+++\ntitle = "TOML"\ndate = 2024-07-05\ndraft = maybe\n+++\n', encoding="utf-8")

    # Two files, one slug: both are named, each pointing at its slug line.
    twin_a = posts / "2024-07-06-twin-a.md"
    twin_b = posts / "2025" / "2024-07-07-twin-b.md"
    twin_a.write_text("---\ntitle: 甲\ndate: 2024-07-06\nslug: twins\n---\n", encoding="utf-8")
    twin_b.write_text("---\ntitle: 乙\nauthor: 某人\ndate: 2024-07-07\nslug: twins\n---\n", encoding="utf-8")

    proc = herald("check", "example", check=False, cwd=example_copy.parent)

    expected = sorted([
        f"{shown(impossible)}:{line_of(impossible, 'date:')}: date \"2023-02-30\" is not a real day",
        f"{shown(untitled)}:1: missing title: add title: \"…\" to the front matter",
        f"{shown(bad_yaml)}:{line_of(bad_yaml, 'date:')}: invalid YAML: did not find expected ',' or ']'",
        f"{shown(latin1)}:2: invalid UTF-8 at byte {len(head)} (0xE9): save the file as UTF-8",
        f"{shown(unclosed)}:1: front matter is never closed: add a --- line after it",
        f"{shown(empty)}:1: file is empty: a post needs front matter (--- title: … date: … ---) and a body",
        f"{shown(toml)}:{line_of(toml, 'draft')}: invalid TOML front matter: "
        "Error while parsing value: could not determine value type",
        f"{shown(twin_a)}:{line_of(twin_a, 'slug:')}: slug \"twins\" is also used by {shown(twin_b)}: "
        "give one of them another slug",
        f"{shown(twin_b)}:{line_of(twin_b, 'slug:')}: slug \"twins\" is also used by {shown(twin_a)}: "
        "give one of them another slug",
    ])
    assert proc.returncode == EX_DATAERR
    assert proc.stdout == ""
    assert proc.stderr.splitlines() == expected


def test_missing_config_is_a_configuration_error(herald, tmp_path):
    proc = herald("check", "nowhere", check=False, cwd=tmp_path)
    assert proc.returncode == EX_CONFIG
    assert proc.stderr.startswith("nowhere/herald.yml: ")


BAD_CONFIG = """\
# secret-canary: this comment must never be printed back
titel: 周报
base_url: https://weekly.example.org/
language: zh_CN
timezone: Asia/Beijing
feeds:
  entries: many
  contnet: full
digest:
  schedule: weekly Fry 15:00
  from: Weekly <weekly@>
  unsubscribe_url: not a url
  unsubscribe_mailto: leave@example.org
smtp:
  url: http://mail.example.org
"""


def test_every_config_problem_is_reported_at_its_key(herald, example_copy):
    config = example_copy / "herald.yml"
    config.write_text(BAD_CONFIG, encoding="utf-8")
    proc = herald("check", "example", check=False, cwd=example_copy.parent)
    at = lambda key: f"example/herald.yml:{line_of(config, key)}: "  # noqa: E731
    assert proc.returncode == EX_CONFIG
    assert proc.stdout == ""
    assert proc.stderr.splitlines() == [
        at("titel:") + "missing required key \"title\"",
        at("titel:") + "unknown key \"titel\": did you mean \"title\"?",
        at("language:") + "language: \"zh_CN\" is not a BCP 47 language tag: use \"-\", as in \"zh-CN\"",
        at("timezone:") + "timezone: \"Asia/Beijing\" is not an IANA time zone such as Asia/Shanghai",
        at("  entries:") + "\"feeds.entries\" must be a whole number",
        at("  contnet:") + "unknown key \"feeds.contnet\": did you mean \"feeds.content\"?",
        at("  schedule:") + "digest.schedule: \"weekly Fry 15:00\": \"fry\" is not a weekday (Mon … Sun)",
        at("  from:") + "digest.from: \"weekly@\" is not a valid address (the domain is empty)",
        at("  unsubscribe_url:") + "digest.unsubscribe_url: must be an absolute https URL of at most 500 characters, "
        "such as https://example.org/unsubscribe, not \"not a url\"",
        at("  url:") + "smtp.url: must start with smtp:// or smtps://, not http://",
    ]
    assert "secret-canary" not in proc.stderr


def test_duplicate_key_names_its_line_without_printing_the_file(herald, example_copy):
    config = example_copy / "herald.yml"
    config.write_text("# secret-canary\n" + config.read_text(encoding="utf-8") + "title: again\n", encoding="utf-8")
    proc = herald("check", "example", check=False, cwd=example_copy.parent)
    lines = config.read_text(encoding="utf-8").splitlines()
    assert proc.returncode == EX_CONFIG
    assert proc.stderr == f"example/herald.yml:{len(lines)}: key \"title\" appears more than once: keep one\n"
    assert "secret-canary" not in proc.stderr


def test_sending_settings_are_checked_when_smtp_is_configured(herald, example_copy):
    config = example_copy / "herald.yml"
    config.write_text(config.read_text(encoding="utf-8") + "smtp:\n  url: smtp://127.0.0.1:2525\n", encoding="utf-8")
    env = {"HERALD_UNSUBSCRIBE_SECRET": ""}
    proc = herald("check", "example", check=False, cwd=example_copy.parent, env=env)
    assert proc.returncode == EX_CONFIG
    assert proc.stderr.startswith("example/herald.yml: no unsubscribe secret: set HERALD_UNSUBSCRIBE_SECRET")
    ok = herald("check", "example", cwd=example_copy.parent, env={"HERALD_UNSUBSCRIBE_SECRET": "0123456789abcdef0123"})
    assert ok.returncode == 0 and ok.stderr == ""


def test_digest_and_send_agree_on_a_bad_from(herald, example_copy, tmp_path):
    config = example_copy / "herald.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("<weekly@weekly.example.org>", "<weekly@@x>"),
                      encoding="utf-8")
    digest = herald("digest", example_copy, "--out", tmp_path / "out", check=False)
    send = herald("send", example_copy, "--state-dir", tmp_path / "state", check=False)
    assert digest.returncode == send.returncode == EX_CONFIG
    assert digest.stderr == send.stderr
    assert "digest.from" in digest.stderr and "is not a valid address" in digest.stderr


def test_version_and_usage_errors(herald, example_copy, tmp_path):
    version = herald("--version")
    assert re.fullmatch(r"\d+\.\d+\.\d+\n", version.stdout)
    send = herald("send", example_copy, "--out", tmp_path / "maildir", check=False)
    assert send.returncode == 64
    assert "--out goes with --dry-run" in send.stderr
    assert not (tmp_path / "maildir").exists()


def test_a_password_in_smtp_url_is_refused_at_its_line_and_never_printed(herald, example_copy):
    config = example_copy / "herald.yml"
    config.write_text(config.read_text(encoding="utf-8") + "smtp:\n  url: smtp://weekly:S3cret-canary@127.0.0.1:2525\n"
                      "  username: weekly\n", encoding="utf-8")
    env = {"HERALD_UNSUBSCRIBE_SECRET": "0123456789abcdef0123", "HERALD_SMTP_PASSWORD": "x"}
    proc = herald("check", "example", check=False, cwd=example_copy.parent, env=env)
    assert proc.returncode == EX_CONFIG
    assert proc.stderr == (f"example/herald.yml:{line_of(config, '  url:')}: smtp.url must not hold a user name or password; "
                           "use smtp.username and the password file/env (smtp.password_file, HERALD_SMTP_PASSWORD or "
                           "the systemd credential smtp-password)\n")
    send = herald("send", "example", "--state-dir", example_copy / "state", check=False, cwd=example_copy.parent, env=env)
    assert send.returncode == EX_CONFIG and "S3cret-canary" not in send.stdout + send.stderr
    # A URL that is no SMTP URL is echoed with its user-info masked.
    config.write_text(config.read_text(encoding="utf-8").replace("smtp://weekly:", "http://weekly:"), encoding="utf-8")
    bad = herald("check", "example", check=False, cwd=example_copy.parent, env=env)
    assert bad.returncode == EX_CONFIG and "S3cret-canary" not in bad.stderr
