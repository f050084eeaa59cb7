"""`herald check` as a user runs it: on the example publication, and on a copy of it
broken in every way the loader must report (each problem on its own line, as
path:line: message, on stderr, exit status 65)."""
import pathlib
import re

EX_DATAERR = 65


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


def test_missing_config_is_a_data_error(herald, tmp_path):
    proc = herald("check", "nowhere", check=False, cwd=tmp_path)
    assert proc.returncode == EX_DATAERR
    assert proc.stderr.startswith("nowhere/herald.yml: ")
