"""`herald build` after a change reads only the posts that changed (the scan cache in the
state folder), and its feeds are byte for byte what a cold build of the same posts into an
empty folder writes. A damaged cache, or one another herald binary made, is rebuilt, never
trusted."""
import filecmp
import os
import pathlib
import shutil
import subprocess

import synthetic_posts

MAGIC = b"herald scan cache 4\n"


def files(root):
    return sorted(str(p.relative_to(root)) for p in pathlib.Path(root).rglob("*") if p.is_file())


def assert_same_as_cold(herald, pub, out, state, tmp_path, label):
    herald("build", pub, "--out", out, "--state-dir", state)
    cold_out, cold_state = tmp_path / "cold-out", tmp_path / "cold-state"
    shutil.rmtree(cold_out, ignore_errors=True)
    shutil.rmtree(cold_state, ignore_errors=True)
    herald("build", pub, "--out", cold_out, "--state-dir", cold_state)
    assert files(out) == files(cold_out), label
    for name in files(cold_out):
        assert filecmp.cmp(out / name, cold_out / name, shallow=False), f"{name} differs from a cold build after {label}"


def setup(tmp_path):
    pub = tmp_path / "pub"
    pub.mkdir()
    (pub / "herald.yml").write_text(
        "title: 周报\nbase_url: https://weekly.example.org/\ntimezone: Asia/Shanghai\n"
        "permalink: /blog/:slug/\nfeeds:\n  entries: 10\n  content: full\n", encoding="utf-8")
    synthetic_posts.write(pub, 40, seed=7)
    return pub, tmp_path / "out", tmp_path / "state"


def test_a_title_changed_with_size_and_mtime_put_back_is_read_again(herald, tmp_path):
    pub, out, state = setup(tmp_path)
    assert_same_as_cold(herald, pub, out, state, tmp_path, "the first build")
    assert (state / "feeds-scan.cache").read_bytes().startswith(MAGIC)
    # The newest post: its title is in every feed that carries it.
    post = sorted((pub / "posts").iterdir())[-1]
    before = os.stat(post)
    text = post.read_text(encoding="utf-8")
    changed = text.replace("第 39 期", "第 93 期", 1)
    assert changed != text and len(changed.encode()) == len(text.encode())
    post.write_text(changed, encoding="utf-8")
    os.utime(post, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert_same_as_cold(herald, pub, out, state, tmp_path, "a same-size edit with the mtime put back")
    assert "第 93 期" in (out / "atom.xml").read_text(encoding="utf-8")


def test_a_damaged_cache_is_rebuilt_not_trusted(herald, tmp_path):
    pub, out, state = setup(tmp_path)
    assert_same_as_cold(herald, pub, out, state, tmp_path, "the first build")
    cache = state / "feeds-scan.cache"
    whole = cache.read_bytes()
    posts = sorted((pub / "posts").iterdir())
    for n, (label, damaged) in enumerate([
        ("cut in half", whole[: len(whole) // 2]),
        ("emptied", b""),
        ("garbage", bytes((i * 7 + 3) % 256 for i in range(len(whole)))),
        ("one byte flipped", whole[:100] + bytes([whole[100] ^ 0x01]) + whole[101:]),
    ]):
        cache.write_bytes(damaged)
        # A post changes too, so the build is not skipped as current.
        with open(posts[n], "a", encoding="utf-8") as f:
            f.write(f"\n{label}\n")
        assert_same_as_cold(herald, pub, out, state, tmp_path, f"a cache {label}")
        assert cache.read_bytes().startswith(MAGIC), f"the cache {label} was not written again"


def test_another_binary_does_not_trust_the_cache(herald_bin, herald, tmp_path):
    """The cache's key holds the binary's stamp: a rebuilt herald with the same version
    string may read front matter differently, so it starts from nothing."""
    pub, out, state = setup(tmp_path)
    herald("build", pub, "--out", out, "--state-dir", state)
    cache = state / "feeds-scan.cache"
    first = cache.read_bytes()
    other = tmp_path / "herald-copy"
    shutil.copy2(herald_bin, other)
    with open(sorted((pub / "posts").iterdir())[0], "a", encoding="utf-8") as f:
        f.write("\nedited\n")
    subprocess.run([str(other), "build", str(pub), "--out", str(out), "--state-dir", str(state)],
                   check=True, capture_output=True)
    # Made under another key: the header differs right after the magic.
    assert cache.read_bytes()[len(MAGIC):len(MAGIC) + 32] != first[len(MAGIC):len(MAGIC) + 32]
