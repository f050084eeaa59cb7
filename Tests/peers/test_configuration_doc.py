"""docs/configuration.md against the parser itself: every key herald.yml accepts is
documented and every documented key is accepted. The parser says which keys it knows
when it meets one it does not; that list is the ground truth."""
import os
import pathlib
import re
import shutil
import subprocess

ROOT = pathlib.Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "configuration.md"
UNKNOWN = "zzzzzzzzzzzzzzzz"


def documented_keys():
    keys = set()
    for line in DOC.read_text(encoding="utf-8").splitlines():
        match = re.match(r"\| `([a-z_.]+)` \|", line)
        if match:
            keys.add(match.group(1))
    return keys


def accepted_keys(herald, tmp_path):
    """Keys the parser knows, from its "known here" lists, one per section."""
    pub = tmp_path / "probe"
    pub.mkdir()
    sections = ["author", "feeds", "digest", "smtp", "dkim", "serve"]
    body = f"title: T\nbase_url: https://e.example/\n{UNKNOWN}: 1\n"
    body += "".join(f"{s}:\n  {'name: N' if s == 'author' else ''}\n  {UNKNOWN}: 1\n" for s in sections)
    (pub / "herald.yml").write_text(body, encoding="utf-8")
    proc = herald("check", pub, check=False)
    assert proc.returncode == 78, proc.stderr
    keys = set()
    for prefix, known in re.findall(r'unknown key "((?:[a-z_]+\.)?)' + UNKNOWN + r'" \(known here: ([^)]*)\)', proc.stderr):
        keys |= {prefix + key for key in known.split(", ")}
    assert len(re.findall("unknown key", proc.stderr)) == 1 + len(sections), proc.stderr
    return keys


def test_every_accepted_key_is_documented_and_every_documented_key_accepted(herald, tmp_path):
    assert accepted_keys(herald, tmp_path) == documented_keys()


def test_help_config_prints_the_reference(herald_bin, tmp_path):
    # From a copy of the binary alone in an empty folder: the reference is built in.
    lonely = tmp_path / "bin"
    lonely.mkdir()
    shutil.copy(herald_bin, lonely / "herald")
    proc = subprocess.run([lonely / "herald", "help", "config"], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0
    assert proc.stdout == DOC.read_text(encoding="utf-8")


def test_a_binary_copied_alone_renders_digests_and_exports_its_templates(herald_bin, example_copy, tmp_path):
    lonely = tmp_path / "empty"
    lonely.mkdir()
    shutil.copy(herald_bin, lonely / "herald")
    env = {k: v for k, v in os.environ.items() if k != "HERALD_TEMPLATES"}
    out = tmp_path / "preview"
    proc = subprocess.run([lonely / "herald", "digest", example_copy, "--out", out, "--since", "2000-01-01"],
                          capture_output=True, text=True, cwd=lonely, env=env)
    assert proc.returncode == 0, proc.stderr
    assert len(list((out / "new").iterdir())) == 1 and (out / "digest.html").exists()
    exported = subprocess.run([lonely / "herald", "templates", "export", tmp_path / "mine"], capture_output=True,
                              text=True, cwd=lonely, env=env)
    assert exported.returncode == 0, exported.stderr
    assert sorted(p.name for p in (tmp_path / "mine").iterdir()) == sorted(
        [p.name for p in (ROOT / "templates").glob("*.mustache")] + ["feed.xsl"])
    # The feed page as shipped, to start a publication's own templates/feed.xsl from.
    assert (tmp_path / "mine" / "feed.xsl").read_bytes() == (ROOT / "templates" / "feed" / "feed.xsl").read_bytes()
