"""DKIM (RFC 6376, RFC 8463): every digest a real SMTP server receives verifies with
dkimpy against the DNS record `herald dkim keygen` printed (answered by a local
dnsfunc), and a message altered in transit does not."""
import re

import dkim
import pytest

import smtp_servers
from test_mail import publication, send, subscribe


def keygen(herald, tmp_path, algorithm):
    key = tmp_path / f"{algorithm}.pem"
    proc = herald("dkim", "keygen", "--selector", "s2026", "--domain", "news.example.org",
                  "--algorithm", algorithm, "--out", key)
    name, record = re.fullmatch(r'(\S+) IN TXT "(.*)"\n', proc.stdout).groups()
    assert name == "s2026._domainkey.news.example.org."
    assert (key.stat().st_mode & 0o777) == 0o600
    again = herald("dkim", "keygen", "--selector", "s2026", "--domain", "news.example.org", "--out", key, check=False)
    assert again.returncode == 73  # a key is never overwritten
    return key, record.encode()


@pytest.mark.parametrize("algorithm, readers", [("ed25519-sha256", 1000), ("rsa-sha256", 100)])
def test_every_received_digest_verifies(herald, tmp_path, algorithm, readers, smtp_server):
    """A 1,000-message send, every message verified by dkimpy (RSA, much slower to
    sign, with 100)."""
    key, record = keygen(herald, tmp_path, algorithm)

    def dns(name, timeout=5):
        return record if name == b"s2026._domainkey.news.example.org." else None

    recorder = smtp_servers.Recorder()
    server = smtp_server(recorder)
    pub = publication(tmp_path, server.port)
    config = pub / "herald.yml"
    # A colon and a space inside a signed value: relaxed canonicalization keeps that space.
    config.write_text(config.read_text().replace("digest:\n", 'digest:\n  subject: "Peer News: issue {{digest.number}}"\n')
                      + f"dkim:\n  domain: news.example.org\n  selector: s2026\n"
                      f"  key_file: {key}\n  algorithm: {algorithm}\n")
    herald("check", pub, env={"HERALD_UNSUBSCRIBE_SECRET": "peer-test-secret-0123456789abcdef"})
    addresses = [f"reader{i}@example.com" for i in range(readers - 1)] + ["ana@bücher.example"]
    subscribe(herald, pub, addresses)
    result = send(herald, pub)
    assert result.returncode == 0, result.stderr
    raws = recorder.raw_messages()
    assert len(raws) == len(addresses)
    for raw in raws:
        assert raw.startswith(b"DKIM-Signature: v=1; a=" + algorithm.encode())
        assert b"Subject: Peer News: issue 1" in raw
        assert dkim.verify(raw, dnsfunc=dns), raw[:400]
        signed = re.search(rb"h=([^;]+);", raw.replace(b"\r\n ", b" ")).group(1).decode().split(":")
        assert signed[:5] == ["from", "to", "subject", "date", "message-id"] and "list-unsubscribe" in signed
    tampered = raws[0].replace(b"The first post.", b"The forged post.", 1)
    assert tampered != raws[0] and not dkim.verify(tampered, dnsfunc=dns)
    retitled = re.sub(rb"\r\nSubject: ([^\r]*)", rb"\r\nSubject: Win a prize", raws[1], count=1)
    assert not dkim.verify(retitled, dnsfunc=dns)


def test_an_unreadable_key_is_a_configuration_error_before_anything_is_sent(herald, tmp_path, smtp_server):
    recorder = smtp_servers.Recorder()
    server = smtp_server(recorder)
    pub = publication(tmp_path, server.port)
    (tmp_path / "bad.pem").write_text("-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n")
    config = pub / "herald.yml"
    # A colon and a space inside a signed value: relaxed canonicalization keeps that space.
    config.write_text(config.read_text().replace("digest:\n", 'digest:\n  subject: "Peer News: issue {{digest.number}}"\n')
                      + f"dkim:\n  domain: news.example.org\n  selector: s1\n  key_file: {tmp_path / 'bad.pem'}\n")
    subscribe(herald, pub, ["a@example.com"])
    result = send(herald, pub)
    assert result.returncode == 78, result.stderr
    assert "dkim.key_file is not an Ed25519 private key" in result.stderr
    assert recorder.raw_messages() == []
