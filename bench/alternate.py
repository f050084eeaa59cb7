"""Old and new herald binaries run alternately on one publication: `herald build PUB --out …`
(output and state removed before each run), N rounds; prints each binary's median wall (perf_counter)
and CPU (getrusage of the child) seconds.
    N=20 PUB=/tmp/bench-out/pub-a python3 bench/alternate.py /tmp/herald-old .build/release/herald
EDIT=post.md: one post edited instead: each binary keeps its output and state, builds once
untimed, then each round appends a line to the post (put back at the end) and times the build.
    N=9 EDIT=/tmp/bench-out/corpus-10000/posts/….md python3 bench/alternate.py OLD NEW
ADD=post.md: the same, but each round adds a copy of the post under a new name, dated after
every post of the corpus (the newest), and times that build; DELETE=post.md: each round deletes
the post and times that build. Either is undone after each timed build by an untimed one.
    N=9 ADD=/tmp/bench-out/corpus-10000/posts/….md python3 bench/alternate.py OLD NEW
"""
import os, resource, shutil, statistics as st, subprocess, sys, tempfile, time

bins = sys.argv[1:]
n = int(os.environ.get("N", "15"))
pub = os.environ.get("PUB", "/tmp/bench-out/pub-a")
edit = os.environ.get("EDIT")
add = os.environ.get("ADD")
delete = os.environ.get("DELETE")
incremental = bool(edit or add or delete)
scratch = tempfile.mkdtemp(prefix="herald-alt-")
res = {b: [] for b in bins}
original = open(edit, "rb").read() if edit else None
post = add or delete
kept = open(post, "rb").read() if post else None
added = os.path.join(os.path.dirname(add), "zz-bench-added.md") if add else None


def newest_copy():
    # The post's front matter with a date after every generated post's (up to 2025-12),
    lines = kept.decode().split("\n")
    # and another title: the permalink may be made from it.
    lines = ["date: 2026-06-01T10:00:00+08:00" if l.startswith("date:") else l for l in lines]
    lines = ['title: "added for the benchmark"' if l.startswith("title:") else l for l in lines]
    return "\n".join(lines).encode()


def run(i, b):
    out = os.path.join(scratch, str(i))
    state = os.path.join(scratch, f"state-{i}")
    if not incremental:
        # A cold build each time: no output and no state (build record, scan cache).
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(state, ignore_errors=True)
    subprocess.run([b, "build", pub, "--out", out, "--state-dir", state], stdout=subprocess.DEVNULL, check=True)


try:
    if incremental:
        for i, b in enumerate(bins):
            run(i, b)
    for k in range(n):
        for i, b in enumerate(bins):
            if edit:
                with open(edit, "ab") as f:
                    f.write(f"\nedit {k} {i}\n".encode())
            if add:
                open(added, "wb").write(newest_copy())
            if delete:
                os.remove(delete)
            r0 = resource.getrusage(resource.RUSAGE_CHILDREN); t0 = time.perf_counter()
            run(i, b)
            t1 = time.perf_counter(); r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            res[b].append((t1 - t0, (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)))
            if add:
                os.remove(added)
            if delete:
                open(delete, "wb").write(kept)
            if add or delete:
                run(i, b)
finally:
    if edit:
        open(edit, "wb").write(original)
    if add and os.path.exists(added):
        os.remove(added)
    if delete and not os.path.exists(delete):
        open(delete, "wb").write(kept)
    shutil.rmtree(scratch, ignore_errors=True)
for b, v in res.items():
    print(f"{b}: median wall {st.median(x[0] for x in v):.3f} s, CPU {st.median(x[1] for x in v):.3f} s, "
          f"min wall {min(x[0] for x in v):.3f} s (n={n})")
