"""Old and new herald binaries run alternately on one publication: `herald build PUB --out …`
(output and state removed before each run), N rounds; prints each binary's median wall (perf_counter)
and CPU (getrusage of the child) seconds.
    N=20 PUB=/tmp/bench-out/pub-a python3 bench/alternate.py /tmp/herald-old .build/release/herald
EDIT=post.md: one post edited instead: each binary keeps its output and state, builds once
untimed, then each round appends a line to the post (put back at the end) and times the build.
    N=9 EDIT=/tmp/bench-out/corpus-10000/posts/….md python3 bench/alternate.py OLD NEW
"""
import os, resource, shutil, statistics as st, subprocess, sys, tempfile, time

bins = sys.argv[1:]
n = int(os.environ.get("N", "15"))
pub = os.environ.get("PUB", "/tmp/bench-out/pub-a")
edit = os.environ.get("EDIT")
scratch = tempfile.mkdtemp(prefix="herald-alt-")
res = {b: [] for b in bins}
original = open(edit, "rb").read() if edit else None


def run(i, b):
    out = os.path.join(scratch, str(i))
    state = os.path.join(scratch, f"state-{i}")
    if not edit:
        # A cold build each time: no output and no state (build record, scan cache).
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(state, ignore_errors=True)
    subprocess.run([b, "build", pub, "--out", out, "--state-dir", state], stdout=subprocess.DEVNULL, check=True)


try:
    if edit:
        for i, b in enumerate(bins):
            run(i, b)
    for k in range(n):
        for i, b in enumerate(bins):
            if edit:
                with open(edit, "ab") as f:
                    f.write(f"\nedit {k} {i}\n".encode())
            r0 = resource.getrusage(resource.RUSAGE_CHILDREN); t0 = time.perf_counter()
            run(i, b)
            t1 = time.perf_counter(); r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            res[b].append((t1 - t0, (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)))
finally:
    if edit:
        open(edit, "wb").write(original)
    shutil.rmtree(scratch, ignore_errors=True)
for b, v in res.items():
    print(f"{b}: median wall {st.median(x[0] for x in v):.3f} s, CPU {st.median(x[1] for x in v):.3f} s, "
          f"min wall {min(x[0] for x in v):.3f} s (n={n})")
