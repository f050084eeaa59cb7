"""`herald init` for a plain folder of posts: what it writes passes `herald check`, builds
feeds that feedparser reads, keeps its draft out of them until the draft line goes, and
refuses bad values (exit 64) or an existing herald.yml (exit 73) without writing."""
import subprocess

import feedparser
import yaml

EX_USAGE, EX_CANTCREAT = 64, 73


def test_init_writes_a_folder_that_checks_and_builds(herald, tmp_path):
    herald("init", "weekly", "--base-url", "https://news.example.org/weekly", "--language", "zh-CN",
           "--timezone", "Asia/Shanghai", "--title", "社区周报: 第一期", cwd=tmp_path)
    pub = tmp_path / "feeds" / "weekly"
    config = yaml.safe_load((pub / "herald.yml").read_text(encoding="utf-8"))
    assert config["title"] == "社区周报: 第一期"          # the colon survives YAML quoting
    assert config["base_url"] == "https://news.example.org/weekly/"
    assert (config["language"], config["timezone"]) == ("zh-CN", "Asia/Shanghai")
    assert "digest" not in config and "smtp" not in config  # left commented, to fill in
    draft = pub / "posts" / "welcome.md"
    assert "draft: true" in draft.read_text(encoding="utf-8")
    checked = herald("check", pub, cwd=tmp_path)
    assert "1 drafts" in checked.stdout, checked.stdout

    herald("build", pub, "--out", tmp_path / "www", cwd=tmp_path)
    feed = feedparser.parse((tmp_path / "www" / "atom.xml").read_bytes())
    assert not feed.bozo and feed.feed.title == "社区周报: 第一期" and feed.entries == []

    draft.write_text(draft.read_text(encoding="utf-8").replace("draft: true\n", ""), encoding="utf-8")
    herald("build", pub, "--out", tmp_path / "www", cwd=tmp_path)
    feed = feedparser.parse((tmp_path / "www" / "atom.xml").read_bytes())
    assert [e.link for e in feed.entries] == ["https://news.example.org/weekly/posts/welcome/"]


def test_init_refuses_bad_values_and_an_existing_publication(herald, tmp_path):
    cases = [
        (["init", "w"], "--base-url"),
        (["init", "w", "--base-url", "news.example.org"], "absolute address"),
        (["init", "w", "--base-url", "https://a.example/", "--language", "zh_CN"], "zh-CN"),
        (["init", "w", "--base-url", "https://a.example/", "--timezone", "Beijing"], "IANA time zone"),
        (["init", "w", "--base-url", "https://a.example/", "--section", "blog"], "--hugo"),
    ]
    for args, says in cases:
        proc = herald(*args, cwd=tmp_path, check=False)
        assert proc.returncode == EX_USAGE, (args, proc.stderr)
        assert says in proc.stderr, (args, proc.stderr)
        assert not (tmp_path / "feeds").exists(), args

    herald("init", "w", "--base-url", "https://a.example/", cwd=tmp_path)
    config = tmp_path / "feeds" / "w" / "herald.yml"
    config.write_text(config.read_text(encoding="utf-8") + "# mine\n", encoding="utf-8")
    proc = herald("init", "w", "--base-url", "https://b.example/", cwd=tmp_path, check=False)
    assert proc.returncode == EX_CANTCREAT and "already exists" in proc.stderr
    assert config.read_text(encoding="utf-8").endswith("# mine\n")
