"""`herald check` warns about links that are almost certainly typos: each as
path:line: warning: …, on stderr, for every mistyped destination of the fixture
(Tests/peers/fixtures/typo-links) and nothing else; warnings leave the exit status alone."""
import pathlib
import shutil

from test_check import line_of

FIXTURE = pathlib.Path(__file__).resolve().parent / "fixtures" / "typo-links"
# (the line's start, the destination the warning quotes)
TYPOS = [
    ("A fine [link]", "*https://star.example.org/"),
    ("over lines, with [double h]", "hhttps://double.example.org/"),
    ("- [no h]", "ttps://noh.example.org/"),
    ("- [one t]", "htps://onet.example.org/"),
    ("- [no colon]", "http//colon.example.org/"),
    ("- [a space]", "https://space.example.org/a b"),
    ("- [bracketed space]", "https://bracket.example.org/a b"),
    ("![an image]", "htps://image.example.org/x.png"),
]


def test_check_warns_about_each_typo_link_with_its_line(herald, tmp_path):
    pub = tmp_path / "typos"
    shutil.copytree(FIXTURE, pub)
    post = pub / "posts" / "2025-04-01-links.md"
    proc = herald("check", "typos", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("typos: 2 posts, 2 published")
    lines = proc.stderr.splitlines()
    assert len(lines) == len(TYPOS), proc.stderr
    for (start, destination), line in zip(TYPOS, lines):
        assert line.startswith(f"typos/posts/2025-04-01-links.md:{line_of(post, start)}: warning: "), line
        assert f'"{destination}"' in line, line


def test_warnings_do_not_change_a_failing_status(herald, tmp_path):
    pub = tmp_path / "typos"
    shutil.copytree(FIXTURE, pub)
    (pub / "posts" / "2025-04-03-bad.md").write_text("---\ntitle: Bad\ndate: 2025-02-30\n---\nx\n", encoding="utf-8")
    proc = herald("check", "typos", cwd=tmp_path, check=False)
    assert proc.returncode == 65
    assert "warning: " in proc.stderr and "2025-04-03-bad.md:3:" in proc.stderr


def test_build_publishes_the_posts_anyway(herald, tmp_path):
    pub = tmp_path / "typos"
    shutil.copytree(FIXTURE, pub)
    proc = herald("build", pub, "--out", tmp_path / "out", "--state-dir", tmp_path / "state")
    assert "warning" not in proc.stderr
    assert (tmp_path / "out" / "atom.xml").read_text(encoding="utf-8").count("<entry>") == 2
