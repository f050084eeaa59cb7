"""herald bounces against real reports: a DSN that a real Postfix (run here on 127.0.0.1
with a private configuration) makes for a digest sent with VERP to an unknown local user,
piped into `herald bounces PUB -` by the master.cf/transport lines deploy/README.md shows;
and hand-written reports of other MTAs (Exim, Gmail, Exchange) and an ARF abuse report,
read from a Maildir twice and from standard input."""
import datetime
import json
import os
import pathlib
import re
import shutil
import subprocess
import tempfile
import time

import pytest

import smtp_servers
from test_mail import SECRET, publication

FIXTURES = pathlib.Path(__file__).parent / "fixtures" / "bounces"
BOUNCE = "bounces@news.example.org"


def with_bounce_address(pub, extra=""):
    config = pub / "herald.yml"
    config.write_text(config.read_text().replace("digest:\n", f"digest:\n  bounce_address: {BOUNCE}\n{extra}", 1))
    return pub


def state_args(pub):
    return ["--state-dir", pub / "state"]


def token(herald, pub, address):
    return herald("token", "make", pub, address, *state_args(pub)).stdout.strip()


def fixture(name, tok, message_id=None):
    text = (FIXTURES / name).read_bytes().replace(b"%TOKEN%", tok.encode())
    if message_id:
        text = re.sub(rb"(?im)^Message-Id:\s*(\r?\n\s+)?<[^>]+>", b"Message-ID: " + message_id.encode(), text, count=1)
    return text


def subscribers(herald, pub):
    lines = herald("subscribers", pub, "list", "--all", *state_args(pub)).stdout.splitlines()
    return {line.split("\t")[0]: line.split("\t")[-1] for line in lines if line}


class EnvelopeRecorder(smtp_servers.Recorder):
    """Also remembers each message's envelope sender (MAIL FROM) by recipient."""

    def __init__(self):
        super().__init__()
        self.mail_from = {}

    async def handle_DATA(self, server, session, envelope):
        for rcpt in envelope.rcpt_tos:
            self.mail_from[rcpt] = envelope.mail_from
        return await super().handle_DATA(server, session, envelope)


def test_verp_envelope_sender_names_each_subscriber_by_token(herald, tmp_path, smtp_server):
    recorder = EnvelopeRecorder()
    server = smtp_server(recorder)
    pub = with_bounce_address(publication(tmp_path, server.port))
    plain = publication(tmp_path, server.port, name="plain")
    addresses = [f"reader{i}@example.com" for i in range(5)]
    for p in (pub, plain):
        herald("subscribers", p, "import", "-", *state_args(p), input="".join(a + "\n" for a in addresses))
    assert herald("send", pub, *state_args(pub), env=SECRET).returncode == 0
    for address in addresses:
        tok = token(herald, pub, address)
        assert recorder.mail_from[address] == f"bounces+{tok}@news.example.org"
        assert address not in recorder.mail_from[address]  # the token is opaque
    recorder.mail_from.clear()
    assert herald("send", plain, *state_args(plain), env=SECRET).returncode == 0
    assert set(recorder.mail_from.values()) == {"digest@news.example.org"}  # without it, as before


def test_other_mtas_reports_from_a_maildir_read_twice_change_nothing_the_second_time(herald, tmp_path):
    pub = with_bounce_address(publication(tmp_path, 9))
    people = ["gone@example.net", "nobody.here@gmail.com", "full.mailbox@contoso.example", "reader@hotmail.example",
              "stays@example.org"]
    herald("subscribers", pub, "import", "-", *state_args(pub), input="".join(a + "\n" for a in people))
    tokens = {a: token(herald, pub, a) for a in people}
    maildir = tmp_path / "Maildir"
    for sub in ("new", "cur", "tmp"):
        (maildir / sub).mkdir(parents=True)
    files = {"1.exim": fixture("exim-hard.eml", tokens["gone@example.net"]),
             "2.gmail": fixture("gmail-hard.eml", tokens["nobody.here@gmail.com"]),
             "3.microsoft": fixture("microsoft-delayed.eml", tokens["full.mailbox@contoso.example"]),
             "4.arf": fixture("arf-abuse.eml", tokens["reader@hotmail.example"]),
             "5.ooo": fixture("out-of-office.eml", tokens["stays@example.org"])}
    for name, data in files.items():
        (maildir / "new" / name).write_bytes(data)

    first = herald("bounces", pub, "--maildir", maildir, *state_args(pub))
    assert subscribers(herald, pub) == {"gone@example.net": "bounced", "nobody.here@gmail.com": "bounced",
                                        "full.mailbox@contoso.example": "active", "reader@hotmail.example": "unsubscribed",
                                        "stays@example.org": "active"}
    assert "bounced gone@example.net: hard bounce 5.0.0" in first.stdout
    assert "counted full.mailbox@contoso.example: soft bounce 4.4.7, 1 of 3 in 14 days" in first.stdout
    assert "unsubscribed reader@hotmail.example: complaint abuse" in first.stdout
    # The auto-reply is no report: left unread where it was, and named.
    assert f"{maildir / 'new' / '5.ooo'}: left in place: not a bounce or abuse report" in first.stderr
    assert sorted(os.listdir(maildir / "new")) == ["5.ooo"]
    assert sorted(os.listdir(maildir / "cur")) == ["1.exim:2,S", "2.gmail:2,S", "3.microsoft:2,S", "4.arf:2,S"]
    before = json.loads(herald("status", pub, "--json", *state_args(pub)).stdout)
    assert before["reports"] == {"bounced": 2, "counted": 1, "unsubscribed": 1}

    second = herald("bounces", pub, "--maildir", maildir, *state_args(pub))
    assert second.stdout == "" and "5.ooo: left in place" in second.stderr
    # The same reports delivered again (a second copy in new/) are known by their Message-ID.
    for name in ("1.exim", "3.microsoft"):
        (maildir / "new" / f"{name}.again").write_bytes(files[name])
    third = herald("bounces", pub, "--maildir", maildir, *state_args(pub))
    assert "unchanged gone@example.net: already read (bounced)" in third.stdout
    assert "unchanged full.mailbox@contoso.example: already read (counted)" in third.stdout
    after = json.loads(herald("status", pub, "--json", *state_args(pub)).stdout)
    assert after["reports"] == before["reports"] and after["subscribers"] == before["subscribers"]
    text = herald("status", pub, *state_args(pub)).stdout
    assert "bounce and complaint reports: bounced 2, counted 1, unsubscribed 1, ignored 0" in text
    assert "bounced gone@example.net (hard 5.0.0) <E1q2w3e-000Abc-4R@mx.example.net>" in text


def test_standard_input_soft_rule_and_foreign_mail(herald, tmp_path):
    pub = with_bounce_address(publication(tmp_path, 9), "  soft_bounce_limit: 3\n  soft_bounce_days: 14\n")
    herald("subscribers", pub, "import", "-", *state_args(pub), input="full.mailbox@contoso.example\n")
    tok = token(herald, pub, "full.mailbox@contoso.example")

    def read(data):
        return herald("bounces", pub, "-", *state_args(pub), input=data.decode(), check=False)

    for n in (1, 2):
        result = read(fixture("microsoft-delayed.eml", tok, f"<delay{n}@outlook.example>"))
        assert result.returncode == 0 and f"soft bounce 4.4.7, {n} of 3 in 14 days" in result.stdout
    assert subscribers(herald, pub) == {"full.mailbox@contoso.example": "active"}
    third = read(fixture("microsoft-delayed.eml", tok, "<delay3@outlook.example>"))
    assert third.stdout == "stdin: bounced full.mailbox@contoso.example: soft bounce 4.4.7, 3 of 3 in 14 days\n"
    assert subscribers(herald, pub) == {"full.mailbox@contoso.example": "bounced"}

    foreign = read(fixture("out-of-office.eml", tok))
    assert foreign.returncode == 65
    assert foreign.stderr.startswith("stdin: not a bounce or abuse report: its Content-Type is text/plain")
    stranger = read(fixture("exim-hard.eml", "f" * 32).replace(b"token=", b"id="))
    assert stranger.returncode == 0 and "ignored" in stranger.stdout  # a token of no subscription: journaled, nothing changed
    unnamed = read(fixture("arf-abuse.eml", tok).replace(b"token=" + tok.encode(), b"id=1"))
    assert unnamed.returncode == 65 and "names no subscriber" in unnamed.stderr
    usage = herald("bounces", pub, *state_args(pub), check=False)
    assert usage.returncode == 64 and "--maildir DIR, or - for standard input" in usage.stderr
    missing = herald("bounces", pub, "--maildir", tmp_path / "none", *state_args(pub), check=False)
    assert missing.returncode == 64 and f"{tmp_path / 'none'}: not a Maildir (it needs new/ and cur/ folders)" in missing.stderr


# --- A real Postfix ---------------------------------------------------------------

MAIN_CF = """compatibility_level = 3.6
queue_directory = {root}/spool
data_directory = {root}/data
command_directory = /usr/sbin
daemon_directory = /usr/lib/postfix/sbin
meta_directory = /etc/postfix
shlib_directory = /usr/lib/postfix
mail_owner = postfix
setgid_group = postdrop
maillog_file = {root}/maillog
maillog_file_prefixes = {root}
myhostname = mx.test.example
mydomain = test.example
mydestination = mx.test.example
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
smtputf8_enable = no
# Accept any local part, so an unknown user bounces after the message is accepted (a DSN)
# instead of a 550 at RCPT, which Herald sees itself.
local_recipient_maps =
alias_maps =
alias_database =
# The publication's domain: its bounce address goes to Herald (as deploy/README.md shows),
# anything else to a Maildir.
virtual_mailbox_domains = news.example.org
virtual_mailbox_base = {root}/mail
virtual_mailbox_maps = static:other/
virtual_uid_maps = static:{uid}
virtual_gid_maps = static:{uid}
transport_maps = inline:{{{transport}}}
"""

MASTER_CF = """127.0.0.1:{port} inet n - n - - smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
local     unix  -       n       n       -       -       local
virtual   unix  -       n       n       -       -       virtual
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
"""

DEPLOY = pathlib.Path(__file__).resolve().parents[2] / "deploy" / "postfix"


def deploy_snippets(root, herald, name):
    """deploy/postfix/ as an operator would add it, with this test's paths, user and domain."""
    def lines(file):
        return [l for l in (DEPLOY / file).read_text().splitlines() if l.strip() and not l.startswith("#")]
    main = "\n".join(l for l in lines("main.cf") if not l.startswith("transport_maps")) + "\n"
    master = ("\n".join(lines("master.cf")) + "\n").replace("/usr/local/bin/herald", str(herald)) \
        .replace("user=herald", "user=nobody").replace("/etc/herald/feeds/", f"{root}/").replace("/var/lib/herald/", f"{root}/state/")
    [(address, nexthop)] = [l.split() for l in lines("transport")]
    address = address.replace("weekly.example.org", "news.example.org")
    return main, master, f"{address}={nexthop.replace(':weekly', ':' + name)}"


@pytest.fixture
def postfix_root():
    if os.geteuid() != 0:
        pytest.skip("a private Postfix instance needs root (CI runs as root)")
    if not shutil.which("postfix"):
        pytest.fail("postfix is not installed: run scripts/bootstrap test")
    # Outside pytest's private tmp: Postfix's pipe runs herald as nobody, who must reach it.
    root = pathlib.Path(tempfile.mkdtemp(prefix="herald-postfix-"))
    root.chmod(0o755)
    yield root
    subprocess.run(["postfix", "-c", root / "etc", "stop"], capture_output=True)
    shutil.rmtree(root, ignore_errors=True)


def test_real_postfix_dsn_piped_to_herald_marks_the_subscriber_bounced(herald_bin, postfix_root):
    root = postfix_root
    nobody = 65534
    herald = root / "herald"
    shutil.copy2(herald_bin, herald)  # nobody may not reach the build folder
    port = smtp_servers.free_port()
    pub = with_bounce_address(publication(root, port))
    state = root / "state" / pub.name
    state.mkdir(parents=True)
    for path in (state, root / "mail"):
        path.mkdir(exist_ok=True)
        os.chown(path, nobody, nobody)
    main, master, transport = deploy_snippets(root, herald, pub.name)
    (root / "data").mkdir()
    shutil.chown(root / "data", user="postfix")
    (root / "etc").mkdir()
    (root / "spool").mkdir()
    (root / "etc" / "main.cf").write_text(MAIN_CF.format(root=root, uid=nobody, transport=transport) + main)
    (root / "etc" / "master.cf").write_text(MASTER_CF.format(port=port) + master)

    def run(*args, check=True, **kw):
        # As nobody, like Postfix's pipe: the state stays nobody's.
        proc = subprocess.run([herald, *map(str, args)], capture_output=True, text=True, user=nobody,
                              env=dict(os.environ, **SECRET, HOME=str(root)), **kw)
        assert not check or proc.returncode == 0, f"{args}: {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
        return proc

    started = subprocess.run(["postfix", "-c", root / "etc", "start"], capture_output=True, text=True)
    assert started.returncode == 0, started.stdout + started.stderr + (root / "maillog").read_text(errors="replace")
    unknown = "no-such-reader@mx.test.example"
    keeper = "keeper@news.example.org"
    run("subscribers", pub, "import", "-", "--state-dir", state, input=f"{unknown}\n{keeper}\n")
    tokens = {a: run("token", "make", pub, a, "--state-dir", state).stdout.strip() for a in (unknown, keeper)}
    sent = run("send", pub, "--state-dir", state, check=False)
    assert sent.returncode == 0, sent.stderr

    # Postfix accepts both, bounces the unknown user's, and pipes its DSN into herald.
    log = root / "maillog"
    deadline = time.monotonic() + 30
    while "relay=herald-bounces" not in log.read_text(errors="replace"):
        assert time.monotonic() < deadline, log.read_text(errors="replace")
        time.sleep(0.2)
    text = log.read_text(errors="replace")
    assert f"from=<bounces+{tokens[unknown]}@news.example.org>" in text
    assert re.search(r"to=<no-such-reader@mx\.test\.example>.*dsn=5\.1\.1, status=bounced", text), text
    assert re.search(rf"to=<bounces\+{tokens[unknown]}@news\.example\.org>, relay=herald-bounces.*status=sent", text), text

    listed = run("subscribers", pub, "list", "--all", "--state-dir", state).stdout
    assert {line.split("\t")[0]: line.split("\t")[-1] for line in listed.splitlines()} == {unknown: "bounced", keeper: "active"}
    status = json.loads(run("status", pub, "--json", "--state-dir", state).stdout)
    assert status["reports"] == {"bounced": 1}
    assert status["recent_reports"][0]["status_code"] == "5.1.1" and status["recent_reports"][0]["address"] == unknown
    assert re.fullmatch(r"<\d+\.[0-9A-F]+@mx\.test\.example>", status["recent_reports"][0]["message_id"])

    # The next digest goes to the keeper only.
    later = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    (pub / "posts" / "second.md").write_text(f"---\ntitle: Second\ndate: {later}\n---\nThe second post.\n")
    assert run("send", pub, "--state-dir", state, check=False).returncode == 0
    digests = json.loads(run("status", pub, "--json", "--state-dir", state).stdout)["digests"]
    assert digests[0]["number"] == 2 and digests[0]["deliveries"]["sent"] == 1 and sum(digests[0]["deliveries"].values()) == 1


def test_odd_maildir_entries_are_skipped_with_a_warning_and_the_real_bounce_is_applied(herald_bin, herald, tmp_path):
    pub = with_bounce_address(publication(tmp_path, 9))
    herald("subscribers", pub, "import", "-", *state_args(pub), input="gone@example.net\n")
    maildir = tmp_path / "Maildir"
    for sub in ("new", "cur", "tmp"):
        (maildir / sub).mkdir(parents=True)
    new = maildir / "new"
    os.mkfifo(new / "0.fifo")
    (new / "0.folder").mkdir()
    os.symlink(tmp_path / "nowhere", new / "0.dangling")
    os.symlink("/dev/zero", new / "0.zero")
    (new / "0.big").write_bytes(b"x" * (20 * 1024 * 1024))
    (new / "1.exim").write_bytes(fixture("exim-hard.eml", token(herald, pub, "gone@example.net")))
    odd = {"0.fifo": "not a regular file but a FIFO", "0.folder": "not a regular file but a folder",
           "0.dangling": "not a regular file but a symbolic link", "0.zero": "not a regular file but a symbolic link",
           "0.big": "larger than 10 MiB"}

    for run in range(2):  # the odd entries stay, and every later run still reads the rest
        proc = subprocess.run(["/usr/bin/time", "-f", "maxrss %M", herald_bin, "bounces", pub, "--maildir", maildir,
                               *map(str, state_args(pub))], capture_output=True, text=True, timeout=60,
                              env=dict(os.environ, XDG_STATE_HOME=str(tmp_path / "xdg")))
        assert proc.returncode == 0, proc.stderr
        for name, why in odd.items():
            assert f"{new / name}: left in place: {why}; not read\n" in proc.stderr
        assert int(proc.stderr.rsplit("maxrss ", 1)[1]) < 200_000
        if run == 0:
            assert "bounced gone@example.net: hard bounce 5.0.0" in proc.stdout
    assert subscribers(herald, pub) == {"gone@example.net": "bounced"}
    assert sorted(os.listdir(new)) == sorted(odd) and os.listdir(maildir / "cur") == ["1.exim:2,S"]
