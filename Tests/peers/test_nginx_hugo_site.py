"""deploy/nginx-hugo-site.conf for real: Debian's nginx, as this user on a loopback port, over
a bilingual Hugo site's public/ (Hugo builds it) with both publications' Herald output merged
in by the installed units, in front of the one `herald serve` (herald-serve@site) that mounts
both. A Hugo page, Hugo's own feed, both languages' Herald feeds and both subscribe pages must
answer through it."""
import http.client
import os
import pathlib
import pwd
import re
import shutil
import ssl
import subprocess
import time
import urllib.parse

import pytest

import installed
import smtp_servers

ROOT = pathlib.Path(__file__).resolve().parents[2]
CONF = ROOT / "deploy" / "nginx-hugo-site.conf"
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
# Each language's publication and its path, Hugo's section path in the language: what the example names.
LANGUAGES = installed.LAYOUTS["beside-hugo"]["mounts"]
# The example's server_name; Herald's pages are the site's (Hugo's baseURL), as a browser has them.
HOST = "site.example.org"
SITE_ORIGIN = "https://weekly.example.org"


def nginx_binary():
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.path.exists(nginx):
        pytest.fail("nginx is needed (scripts/bootstrap installs it)")
    return nginx


@pytest.fixture
def site(tmp_path, herald_bin, smtp_server):
    """The bilingual Hugo site deployed as deploy/README.md's "Beside a Hugo site" says: Hugo's
    public/ in /var/www/site/public, herald@zh and herald@en run once as their timers would
    (each writes its files under its path there), herald-serve@site serving both."""
    recorder = smtp_servers.Recorder()
    smtp = smtp_server(recorder)
    machine = installed.Machine(tmp_path, herald_bin, "beside-hugo", smtp_port=smtp.port)
    machine.publish()
    with machine.serving() as port:
        yield machine.out, port, recorder


@pytest.fixture
def nginx(tmp_path, site):
    """The example as shipped, but for its machine-specific lines: certificate, port, root, upstream."""
    public, serve_port, recorder = site
    binary = nginx_binary()
    cert, key = smtp_servers.self_signed_cert(tmp_path)
    port, plain = smtp_servers.free_port(), smtp_servers.free_port()
    conf = CONF.read_text()
    for old, new in [(f"/etc/letsencrypt/live/{HOST}/fullchain.pem", str(cert)),
                     (f"/etc/letsencrypt/live/{HOST}/privkey.pem", str(key)),
                     ("/etc/herald/nginx-proxy.conf", str(ROOT / "deploy" / "nginx-proxy.conf")),
                     ("/var/log/nginx/", f"{tmp_path}/"),
                     (installed.LAYOUTS["beside-hugo"]["out"], str(public)),
                     ("server 127.0.0.1:8080;", f"server 127.0.0.1:{serve_port};"),
                     ("listen 443 ssl http2;", f"listen 127.0.0.1:{port} ssl;"), ("listen [::]:443 ssl http2;", ""),
                     ("listen 80;", f"listen 127.0.0.1:{plain};"), ("listen [::]:80;", "")]:
        assert old in conf, f"{CONF.name} no longer has {old!r}: update this test with it"
        conf = conf.replace(old, new)
    (tmp_path / "site.conf").write_text(conf)
    # Workers as this user: pytest's folders are private to it (as root nginx would use nobody).
    user = f"user {pwd.getpwuid(os.getuid()).pw_name};\n" if os.getuid() == 0 else ""
    (tmp_path / "nginx.conf").write_text(f"""{user}pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log;
events {{}}
http {{ include /etc/nginx/mime.types; access_log off; include {tmp_path}/site.conf; }}
""")
    args = [binary, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")]
    proc = subprocess.run([*args, "-t", "-q"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    subprocess.run(args, check=True)
    context = ssl._create_unverified_context()  # a self-signed certificate on 127.0.0.1

    def request(method, path, body=None, headers=None):
        """(status, headers lower-cased, body) of a request to nginx over TLS, for the site's host."""
        deadline = time.monotonic() + 10
        while True:
            conn = http.client.HTTPSConnection("127.0.0.1", port, timeout=10, context=context)
            try:
                conn.request(method, path, body=body, headers={"Host": HOST, **(headers or {})})
                response = conn.getresponse()
                return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
            except ConnectionRefusedError:
                assert time.monotonic() < deadline, "nginx did not listen"
                time.sleep(0.1)
            finally:
                conn.close()

    def get(path, accept="*/*"):
        status, headers, body = request("GET", path, headers={"Accept": accept})
        return status, headers.get("content-type", ""), body
    try:
        yield get, public, request, recorder
    finally:
        subprocess.run([*args, "-s", "stop"], check=False)


def test_hugo_pages_herald_feeds_and_both_subscribe_pages_through_nginx(nginx):
    get, public, _, _ = nginx
    # Hugo's pages as Hugo wrote them, and the section's RSS at Hugo's address.
    page = "/blog/2024-05-03-weekly/"
    status, _, body = get(page, BROWSER_ACCEPT)
    assert status == 200 and body == (public / page.strip("/") / "index.html").read_bytes()
    status, _, body = get("/en/blog/index.xml")
    assert status == 200 and body == (public / "en" / "blog" / "index.xml").read_bytes()
    for language, path in LANGUAGES.items():
        # Herald's feeds of this language, from the merged tree, with the feed types.
        for name, kind in [("atom.xml", "application/atom+xml"), ("rss.xml", "application/rss+xml")]:
            status, content_type, body = get(path + name, "application/atom+xml, application/rss+xml")
            assert status == 200 and content_type.startswith(kind), f"{path}{name}: {status} {content_type}"
            assert body == (public / path.strip("/") / name).read_bytes()
            # A browser gets the feed's page, as herald serve would give it.
            status, content_type, page_body = get(path + name, BROWSER_ACCEPT)
            assert status == 200 and content_type.startswith("text/html"), f"{path}{name}: {content_type}"
            assert page_body == (public / path.strip("/") / (name + ".html")).read_bytes()
        # The subscribe page is herald serve's (its form, its stylesheet), at this publication's path.
        status, content_type, body = get(path + "subscribe", BROWSER_ACCEPT)
        assert status == 200 and content_type.startswith("text/html"), f"{path}subscribe: {status}"
        assert b'name="csrf"' in body and (path + "_herald/serve.css").encode() in body, body[:400]
        status, content_type, _ = get(path + "_herald/serve.css")
        assert status == 200 and content_type.startswith("text/css")
        # A token-less confirm link is herald's 400 page, not nginx's 404.
        assert get(path + "confirm?token=x", BROWSER_ACCEPT)[0] == 400
    # Paths outside the publications are Hugo's: no route of herald there.
    assert get("/subscribe")[0] == 404


def test_both_languages_take_a_subscription_through_nginx(nginx):
    """A reader on each language's subscribe page, through nginx (its proxy headers, the CSRF
    cookie at the publication's path, the rate limit): the confirmation mail links to that
    language's path on the site, and the link's page answers through nginx too."""
    get, _, request, recorder = nginx
    for language, path in LANGUAGES.items():
        status, headers, body = request("GET", path + "subscribe", headers={"Accept": BROWSER_ACCEPT})
        assert status == 200, body
        csrf = re.search(rb'name="csrf" value="([^"]+)"', body).group(1).decode()
        cookie = headers["set-cookie"].split(";")[0]
        assert f"Path={path}" in headers["set-cookie"], headers["set-cookie"]
        address = f"reader-{language}@example.org"
        form = urllib.parse.urlencode({"csrf": csrf, "email": address}).encode()
        status, _, body = request("POST", path + "subscribe", form, {
            "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie, "Origin": SITE_ORIGIN,
            "Accept": BROWSER_ACCEPT})
        assert status == 200, body
        deadline = time.monotonic() + 15
        while not [m for rcpt, m in recorder.accepted if rcpt == address]:
            assert time.monotonic() < deadline, f"no confirmation mail to {address}"
            time.sleep(0.1)
        mail = next(m for rcpt, m in recorder.accepted if rcpt == address)
        link = re.search(r"(https://\S+/confirm\?token=[A-Za-z0-9_-]+)", mail.get_body(("plain",)).get_content()).group(1)
        assert link.startswith(SITE_ORIGIN + path + "confirm?"), link
        status, _, body = get(urllib.parse.urlsplit(link)._replace(scheme="", netloc="").geturl(), BROWSER_ACCEPT)
        assert status == 200 and b'name="token"' in body, body[:300]
