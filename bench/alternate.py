"""Old and new herald binaries run alternately on one publication: `herald build PUB --out …`
(output and state removed before each run), N rounds; prints each binary's median wall (perf_counter)
and CPU (getrusage of the child) seconds.
    N=20 PUB=/tmp/bench-out/pub-a python3 bench/alternate.py /tmp/herald-old .build/release/herald
"""
import os, resource, shutil, statistics as st, subprocess, sys, tempfile, time

bins = sys.argv[1:]
n = int(os.environ.get("N", "15"))
pub = os.environ.get("PUB", "/tmp/bench-out/pub-a")
scratch = tempfile.mkdtemp(prefix="herald-alt-")
res = {b: [] for b in bins}
for _ in range(n):
    for i, b in enumerate(bins):
        out = os.path.join(scratch, str(i))
        # A cold build each time: no output and no state (build record, scan cache).
        state = os.path.join(scratch, f"state-{i}")
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(state, ignore_errors=True)
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN); t0 = time.perf_counter()
        subprocess.run([b, "build", pub, "--out", out, "--state-dir", state], stdout=subprocess.DEVNULL, check=True)
        t1 = time.perf_counter(); r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        res[b].append((t1 - t0, (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)))
shutil.rmtree(scratch, ignore_errors=True)
for b, v in res.items():
    print(f"{b}: median wall {st.median(x[0] for x in v):.3f} s, CPU {st.median(x[1] for x in v):.3f} s, "
          f"min wall {min(x[0] for x in v):.3f} s (n={n})")
