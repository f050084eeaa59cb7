"""A maintainer's first hour, as they do it: the herald binary copied alone into an empty
folder and run from another one, after README's first command (`make run`); `init` on a Hugo site, `check`, `build`, a subscriber
list imported, and `send --test` to a real SMTP server. Every step exits 0, and the state
lands where the documentation says ($XDG_STATE_HOME/herald/NAME), not in the working folder."""
import datetime
import os
import shutil
import subprocess

import feedparser

import smtp_servers
from conftest import ROOT
from test_hugo import copy_site

SECRET = "first-hour-secret-0123456789abcdef"


def test_make_run_publishes_the_example():
    """README's first command, as written: installs what running needs (already there after
    `make test`'s bootstrap, so this checks it stays idempotent), builds, publishes."""
    proc = subprocess.run(["make", "run"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    feed = feedparser.parse((ROOT / "public" / "example" / "atom.xml").read_bytes())
    assert not feed.bozo and len(feed.entries) > 0
    assert all(e.link.startswith("https://weekly.example.org/") for e in feed.entries)


def test_first_hour_with_a_lone_binary_from_another_folder(herald_bin, tmp_path, smtp_server):
    lonely = tmp_path / "bin"
    lonely.mkdir()
    shutil.copy(herald_bin, lonely / "herald")
    work = tmp_path / "work"
    work.mkdir()
    state_home = tmp_path / "state-home"
    env = {k: v for k, v in os.environ.items() if k not in ("HERALD_TEMPLATES", "STATE_DIRECTORY")}
    env.update(XDG_STATE_HOME=str(state_home), HERALD_UNSUBSCRIBE_SECRET=SECRET)

    def herald(*args):
        proc = subprocess.run([lonely / "herald", *map(str, args)], capture_output=True, text=True, cwd=work, env=env)
        assert proc.returncode == 0, f"herald {' '.join(map(str, args))}: {proc.returncode}\n{proc.stdout}{proc.stderr}"
        return proc

    site = copy_site("community", tmp_path)
    today = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    post = site / "content" / "en" / "blog" / "this-week"
    post.mkdir(parents=True)
    (post / "index.md").write_text(f"---\ntitle: This week\ndate: {today}\n---\nNews from this week.\n", encoding="utf-8")

    pub = tmp_path / "weekly"
    herald("init", "--hugo", site, "--section", "blog", "--language", "en", "--out", pub, "weekly")
    herald("check", pub)
    herald("build", pub, "--out", tmp_path / "www")
    # The site's folder: the feeds at the section's path in the language, as Hugo has its pages.
    assert (tmp_path / "www" / "en" / "blog" / "atom.xml").exists()

    recorder = smtp_servers.Recorder()
    server = smtp_server(recorder)
    config = pub / "herald.yml"
    config.write_text(config.read_text(encoding="utf-8") + "digest:\n  from: weekly@example.org\n"
                      f"smtp:\n  url: smtp://127.0.0.1:{server.port}\n", encoding="utf-8")
    herald("check", pub)
    people = tmp_path / "people.csv"
    people.write_text("Email Address,First Name,Last Name\nana@example.org,Ana,Lima\n", encoding="utf-8")
    herald("subscribers", pub, "import", people)
    assert (state_home / "herald" / "weekly" / "state.sqlite").exists()
    sent = herald("send", pub, "--test", "maintainer@example.org")
    assert "250" in sent.stdout
    assert recorder.recipients() == ["maintainer@example.org"]
    _, message = recorder.accepted[0]
    assert "This week" in message.as_string()
    assert sorted(p.name for p in work.iterdir()) == []  # nothing left in the working folder
