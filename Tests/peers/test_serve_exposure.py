"""What `herald serve` must never hand out, and how it must speak HTTP on the open internet:
paths that decode to control characters, symbolic links out of the output folder, state
folders inside output folders and SQLite files, protocol-relative redirects, HEAD, Host,
HTTP/1.0, and a port already in use. Each request goes to a real `herald serve`; the state
database is checked with SQLite itself."""
import contextlib
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import threading
import time

import pytest

import smtp_servers
from test_serve import SECRET, Site, curl, site, wait_for  # noqa: F401 (site is a fixture)


def raw(port, data, timeout=5):
    """Everything the server sends back on one connection until it closes it (or `timeout`
    passes), and whether it closed it."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        received, closed = b"", False
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                chunk = sock.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                closed = True
                break
            received += chunk
    return received, closed


def serve(s, *args, cwd=None, timeout=8):
    """`herald serve` started with `args`: (process, log text) once it answers /healthz,
    or once it has exited (then the process has its returncode)."""
    log = s.tmp / f"serve-{time.monotonic_ns()}.log"
    with open(log, "w") as out:
        process = subprocess.Popen([s.bin, "serve", *map(str, args), "--listen", f"127.0.0.1:{s.port}"],
                                   cwd=cwd or s.tmp, env=s.env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        with contextlib.suppress(OSError):
            if s.request("GET", "/healthz")[0] == 200:
                break
        time.sleep(0.1)
    return process, log


def stop(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


# --- what is served -----------------------------------------------------------------------

def test_a_path_with_a_control_character_is_a_bad_request_and_files_are_nosniff(site, browser):
    s = site()
    s.post("evil", "<script>document.title='owned'</script>", hours=2)
    s.start()
    assert b"<script>" in (s.out / "feed.json").read_bytes()
    for path in ("feed.json%00.html", "feed.json%00", "atom.xml%0a", "%01atom.xml", "feed.json%7f.html"):
        status, headers, body = s.request("GET", s.path(path))
        assert status == 400, (path, status, headers, body[:200])
        assert not headers.get("content-type", "").startswith("text/html"), path
    browser.get(s.base + "feed.json%00.html")
    time.sleep(0.5)
    assert browser.title != "owned"
    # A query may carry anything encoded; only the path is refused.
    assert s.request("GET", s.path("unsubscribe?token=%00"))[0] == 400
    for path in ("atom.xml", "rss.xml", "feed.json", "feed.xsl", "archive/"):
        status, headers, _ = s.request("GET", s.path(path))
        if status == 404:
            continue
        assert status == 200 and headers.get("x-content-type-options") == "nosniff", (path, headers)
        etag = headers["etag"]
        status, headers, _ = s.request("GET", s.path(path), headers={"If-None-Match": etag})
        assert status == 304 and headers.get("x-content-type-options") == "nosniff", (path, headers)


def test_symbolic_links_out_of_the_output_folder_are_not_followed(site, tmp_path):
    s = site()
    other = tmp_path / "weekly"
    shutil.copytree(s.pub, other)
    s.start()
    s.run("subscribers", other, "add", "someone@example.org")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("not for the web\n")
    (s.out / "passwd").symlink_to("/etc/passwd")
    (s.out / "etc").symlink_to("/etc")
    (s.out / "weekly").symlink_to(other)
    (s.out / "weekly-state").symlink_to(tmp_path / "state" / "weekly")
    (s.out / "outside").symlink_to(outside)
    (s.out / "inside.xml").symlink_to(s.out / "atom.xml")
    (s.out / "inside").symlink_to(s.out / "archive" if (s.out / "archive").exists() else s.out)
    for path in ("passwd", "etc/passwd", "etc/hostname", "weekly/herald.yml", "weekly-state/state.sqlite",
                 "outside/secret.txt", "outside/", "outside"):
        status, _, body = s.request("GET", s.path(path))
        assert status in (403, 404), (path, status, body[:200])
        assert s.request("HEAD", s.path(path))[0] in (403, 404), path
    # Links that stay inside the folder are followed.
    status, _, body = s.request("GET", s.path("inside.xml"))
    assert status == 200 and body == (s.out / "atom.xml").read_bytes()
    # A file a reader polls, replaced by a link out: the next conditional GET is not a 304.
    (s.out / "notes.txt").write_text("public notes\n")
    etag = s.request("GET", s.path("notes.txt"))[1]["etag"]
    for _ in range(3):
        assert s.request("GET", s.path("notes.txt"), headers={"If-None-Match": etag})[0] == 304
    (outside / "notes.txt").write_text("public notes\n")
    os.utime(outside / "notes.txt", ns=(os.stat(s.out / "notes.txt").st_atime_ns, os.stat(s.out / "notes.txt").st_mtime_ns))
    (s.out / "notes.txt").unlink()
    (s.out / "notes.txt").symlink_to(outside / "notes.txt")
    assert s.request("GET", s.path("notes.txt"), headers={"If-None-Match": etag})[0] in (403, 404)
    assert s.request("GET", s.path("notes.txt"))[0] in (403, 404)


def test_a_state_folder_inside_the_output_folder_is_refused_by_check_build_and_serve(site):
    s = site()
    # As the report had it: `state: out/state` in herald.yml and `--out out`, from the publication's folder.
    yml = s.pub / "herald.yml"
    yml.write_text(yml.read_text() + "state: out/state\n")
    out, state = s.pub / "out", s.pub / "out" / "state"
    for command in (["check", ".", "--out", "out"], ["build", ".", "--out", "out"]):
        proc = s.herald(*command, check=False, env=s.env, cwd=s.pub)
        assert proc.returncode == 78, (command, proc.stdout, proc.stderr)
        assert str(state) in proc.stderr and str(out) in proc.stderr and "inside" in proc.stderr, proc.stderr
    assert not (out / "atom.xml").exists()
    process, log = serve(s, ".", "--out", "out", cwd=s.pub)
    try:
        if process.poll() is None:
            status, _, body = s.request("GET", s.path("state/state.sqlite"))
            pytest.fail(f"serve started with its state inside the folder it serves; GET state/state.sqlite: {status}, "
                        f"{len(body)} bytes starting {body[:16]!r}")
        text = log.read_text()
        assert process.returncode == 78 and str(state) in text and str(out) in text, text
        assert "serving" not in text
    finally:
        stop(process)
    # The other way round: the output folder inside the state folder.
    yml.write_text(yml.read_text().replace("state: out/state\n", "state: var\n"))
    proc = s.herald("check", ".", "--out", "var/public", check=False, env=s.env, cwd=s.pub)
    assert proc.returncode == 78 and str(s.pub / "var" / "public") in proc.stderr and str(s.pub / "var") in proc.stderr
    # Apart, all is well.
    assert s.herald("check", ".", "--out", "public", check=False, env=s.env, cwd=s.pub).returncode == 0


def test_no_sqlite_file_is_ever_served(site, tmp_path):
    s = site()
    s.start()
    s.subscribe_cli("reader@example.org")
    database = sqlite3.connect(tmp_path / "made.sqlite")
    database.execute("CREATE TABLE t(x)")
    database.commit()
    database.close()
    made = (tmp_path / "made.sqlite").read_bytes()
    for name in ("export.sqlite", "export.db", "export.sqlite-wal", "export.sqlite-shm", "notes.bin", "EXPORT.SQLITE"):
        (s.out / name).write_bytes(made)
    (s.out / "harmless.bin").write_bytes(b"SQLite is a database\n")
    for name in ("export.sqlite", "export.db", "export.sqlite-wal", "export.sqlite-shm", "notes.bin", "EXPORT.SQLITE"):
        status, _, body = s.request("GET", s.path(name))
        assert status == 404 and not body.startswith(b"SQLite format 3"), (name, status)
        assert s.request("GET", s.path(name), headers={"Range": "bytes=0-15"})[0] == 404, name
    assert s.request("GET", s.path("harmless.bin"))[0] == 200


def test_the_file_server_never_opens_the_state_database(site, tmp_path):
    """SQLite keeps writers apart with POSIX locks, which a process loses on a file when it
    closes any descriptor of it. Were the server to open its own database as a file, the
    acknowledged one-click unsubscribes and a concurrent import could corrupt it, or be
    lost to `send`. Every way the file server could reach the database is refused, first
    with the state inside the output folder, then through links, and the database stays
    whole under concurrent writers."""
    s = site()
    yml = s.pub / "herald.yml"
    original = yml.read_text()
    yml.write_text(original + f"state: {s.out / 'state'}\n")
    s.run("build", s.pub, check=False)
    process, log = serve(s, s.pub)
    try:
        if process.poll() is None:
            status, _, body = s.request("GET", s.path("state/state.sqlite"))
            pytest.fail(f"serve started with its state in its output folder; GET state/state.sqlite: {status} "
                        f"{body[:16]!r}")
        assert process.returncode == 78, log.read_text()
    finally:
        stop(process)
    yml.write_text(original)
    addresses = [f"r{i:03}@example.org" for i in range(40)]
    s.subscribe_cli(*addresses)
    s.start()
    # The database reached from the output folder: by links (with and without a telling
    # name) and by a hard link of the very file.
    (s.out / "db.sqlite").symlink_to(s.db_path)
    (s.out / "data.bin").symlink_to(s.db_path)
    (s.out / "wal.bin").symlink_to(str(s.db_path) + "-wal")
    os.link(s.db_path, s.out / "copy.bin")
    for name in ("db.sqlite", "data.bin", "wal.bin", "copy.bin"):
        for method in ("GET", "HEAD"):
            status, _, body = s.request(method, s.path(name))
            assert status == 404 and not body.startswith(b"SQLite"), (method, name, status)
    # Acknowledged one-click unsubscribes while an import writes.
    leaving = addresses[::2]
    tokens = {a: s.token_of(a) for a in leaving}
    csv = tmp_path / "import.csv"
    csv.write_text("email\n" + "".join(f"new{i:04}@example.org\n" for i in range(1500)))
    importer = subprocess.Popen([s.bin, "subscribers", s.pub, "import", csv], cwd=s.tmp, env=s.env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    acknowledged = []

    def unsubscribe(address):
        proc = curl("-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", "-d", "List-Unsubscribe=One-Click",
                    s.base + "unsubscribe?token=" + tokens[address])
        if proc.stdout == "200":
            acknowledged.append(address)
    threads = [threading.Thread(target=unsubscribe, args=(a,)) for a in leaving]
    for thread in threads:
        thread.start()
        for name in ("data.bin", "copy.bin"):
            s.request("GET", s.path(name))
    for thread in threads:
        thread.join()
    out, err = importer.communicate(timeout=120)
    assert importer.returncode == 0, err
    assert sorted(acknowledged) == sorted(leaving)
    with contextlib.closing(sqlite3.connect(s.db_path)) as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    listed = {line.split("\t")[0] for line in s.run("subscribers", s.pub, "list").stdout.splitlines()}
    assert not listed & set(acknowledged), sorted(listed & set(acknowledged))
    assert set(addresses[1::2]) <= listed and len(listed) == len(addresses) // 2 + 1500


# --- how it speaks HTTP -----------------------------------------------------------------

def test_folder_redirects_stay_on_the_site_and_keep_the_mount(site, tmp_path):
    s = site()
    other = tmp_path / "weekly"
    shutil.copytree(s.pub, other)
    (other / "herald.yml").write_text((s.pub / "herald.yml").read_text().replace("/news/", "/"))
    s.run("build", other)
    for folder in (s.out / "tags" / "rust", tmp_path / "public" / "weekly" / "tags" / "rust"):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.html").write_text("<p>rust</p>")
    s.start(s.pub, other)
    expected = {"//tags": "/tags/", "//tags/rust": "/tags/rust/", "/tags": "/tags/", "/news/tags": "/news/tags/",
                "/news/tags/rust": "/news/tags/rust/", "/news//tags": "/news/tags/", "///tags": "/tags/"}
    for path, location in expected.items():
        status, headers, _ = s.request("GET", path)
        assert 300 <= status < 400 and headers["location"] == location, (path, status, headers.get("location"))
        assert not headers["location"].startswith("//")
        status, _, body = s.request("GET", headers["location"])
        assert status == 200 and b"rust" in body or status == 404, (path, status)
    # curl follows to the page on this server, not to http://tags/.
    proc = curl("-s", "-L", "-o", "/dev/null", "-w", "%{url_effective} %{http_code}", f"http://127.0.0.1:{s.port}/news/tags/rust")
    assert proc.stdout == f"http://127.0.0.1:{s.port}/news/tags/rust/ 200", proc.stdout


def test_head_answers_as_get_without_a_body_everywhere(site):
    s = site()
    s.subscribe_cli("reader@example.org")
    s.start()
    paths = [s.path("atom.xml"), s.path("feed.json"), s.path("subscribe"), s.path("unsubscribe?token=" + s.token_of("reader@example.org")),
             s.path("unsubscribe?token=bad"), s.path("confirm?token=bad"), s.path("_herald/serve.css"), "/healthz",
             s.path("no-such-file")]
    for path in paths:
        get_status, get_headers, get_body = s.request("GET", path)
        head_status, head_headers, head_body = s.request("HEAD", path)
        assert head_status == get_status and head_body == b"", (path, head_status, get_status)
        for name in ("content-type", "content-length", "etag", "last-modified", "cache-control", "content-security-policy",
                     "x-content-type-options"):
            assert head_headers.get(name) == get_headers.get(name), (path, name, head_headers, get_headers)
        if get_status == 200:
            assert int(head_headers["content-length"]) == len(get_body) > 0, path


def test_host_fields_and_http_1_0_are_handled_as_http_requires(site):
    s = site()
    s.start()
    atom = s.path("atom.xml")
    for request in (f"GET {atom} HTTP/1.1\r\n\r\n",
                    f"GET {atom} HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
                    f"GET /healthz HTTP/1.1\r\nHost: a\r\nhost: a\r\n\r\n",
                    f"GET {atom} HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n"):
        data, closed = raw(s.port, request.encode())
        assert data.startswith(b"HTTP/1.1 400 "), (request, data[:200])
        assert closed, request
    # A bad request pipelined behind a good one: the good one is answered first.
    data, closed = raw(s.port, f"GET /healthz HTTP/1.1\r\nHost: a\r\n\r\nGET {atom} HTTP/1.1\r\n\r\n".encode())
    assert re.findall(rb"^HTTP/1\.1 (\d{3})", data, re.M) == [b"200", b"400"] and closed, data[:300]
    # HTTP/1.0 without keep-alive: answered as 1.0, and the connection closes after it.
    for path in (atom, "/healthz", s.path("subscribe"), s.path("no-such-file")):
        data, closed = raw(s.port, f"GET {path} HTTP/1.0\r\n\r\n".encode())
        assert data.startswith(b"HTTP/1.0 "), (path, data[:200])
        assert closed, f"{path}: the connection stayed open after an HTTP/1.0 answer"
    # HTTP/1.0 with keep-alive: answered as 1.0 and kept open for the next request.
    data, closed = raw(s.port, f"GET {atom} HTTP/1.0\r\nConnection: keep-alive\r\n\r\n".encode(), timeout=2)
    assert data.startswith(b"HTTP/1.0 200") and b"keep-alive" in data.lower().split(b"\r\n\r\n")[0]
    # HTTP/1.1 with one Host stays as it was.
    data, closed = raw(s.port, f"GET {atom} HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n".encode())
    assert data.startswith(b"HTTP/1.1 200") and closed


def test_a_port_in_use_is_reported_before_claiming_to_serve(site):
    s = site()
    s.run("build", s.pub)
    with socket.socket() as taken:
        taken.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        taken.bind(("127.0.0.1", s.port))
        taken.listen()
        proc = subprocess.run([s.bin, "serve", s.pub, "--listen", f"127.0.0.1:{s.port}"], cwd=s.tmp, env=s.env,
                              capture_output=True, text=True, timeout=30)
    text = proc.stdout + proc.stderr
    assert proc.returncode == 69, text
    assert f"127.0.0.1:{s.port}" in proc.stderr and "in use" in proc.stderr, text
    assert "serving" not in text, text
