"""The layering README promises, checked against SwiftPM's own description of the
package: Herald's targets form a pipeline whose dependencies run one way, every file
imports only what its target names, and README's layout table lists every target."""
import json
import pathlib
import re
import subprocess

ROOT = pathlib.Path(__file__).resolve().parents[2]
# The pipeline from the bottom up; a target may use only targets before it.
ORDER = ["HeraldBase", "HeraldFetch", "HeraldConfig", "HeraldContent", "HeraldFeeds", "HeraldState", "HeraldMail",
         "HeraldDigest", "HeraldUseCases", "HeraldServe", "herald"]
# HeraldFetch (a feed read over libcurl) sits just above Base: it needs nothing else, and
# the content loader, the state and the use cases above may all be handed what it fetched.
# Rooms that must not see each other although the order would allow it: the wire (Mail)
# knows no post and no feed; state knows no content; a digest is no feed.
SIDEWAYS = {("HeraldFeeds", "HeraldState"), ("HeraldState", "HeraldFeeds"), ("HeraldState", "HeraldContent"),
            ("HeraldMail", "HeraldFeeds"), ("HeraldMail", "HeraldContent"), ("HeraldDigest", "HeraldFeeds"),
            ("HeraldServe", "HeraldUseCases"), ("HeraldServe", "HeraldContent"), ("HeraldServe", "HeraldFeeds"),
            # Fetching is the use cases' job: the loader parses bytes, the wire sends mail.
            ("HeraldContent", "HeraldFetch"), ("HeraldMail", "HeraldFetch"), ("HeraldDigest", "HeraldFetch"),
            ("HeraldServe", "HeraldFetch")}
# The CLI parses and prints: every command is one call into a use case (or the server).
CLI_MAY_USE = {"HeraldUseCases", "HeraldServe", "HeraldBase", "HeraldConfig"}


def describe():
    out = subprocess.run(["swift", "package", "describe", "--type", "json"], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    return {t["name"]: t for t in json.loads(out)["targets"]}


def test_targets_form_a_one_way_pipeline():
    targets = describe()
    herald = [name for name in targets if name in ORDER]
    assert len(herald) >= 6
    for name in herald:
        for dep in targets[name].get("target_dependencies") or []:
            if dep in ORDER:
                assert ORDER.index(dep) < ORDER.index(name), f"{name} uses {dep}, which is above it"
                assert (name, dep) not in SIDEWAYS, f"{name} uses {dep} beside it"


def test_every_file_imports_only_what_its_target_names():
    """A module reached only through another target builds or not depending on build
    order (a clean release build failed on one), so every import must be named."""
    targets = describe()
    products = {p for t in targets.values() for p in t.get("product_dependencies") or []}
    for name, target in targets.items():
        if target["type"] == "system-target" or "path" not in target:
            continue
        allowed = set(target.get("target_dependencies") or []) | set(target.get("product_dependencies") or [])
        for source in (ROOT / target["path"]).rglob("*.swift"):
            for module in re.findall(r"^(?:@testable )?import (\w+)", source.read_text(encoding="utf-8"), re.M):
                if module in targets or module in products:
                    assert module in allowed, f"{source.relative_to(ROOT)} imports {module}, which {name} does not name"


def test_readme_layout_table_lists_every_target():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## Layout"):readme.index("## Commands")]
    for name, target in describe().items():
        if target["type"] != "test":
            assert f"`{name}`" in table, f"README's layout table does not mention {name}"


def test_the_cli_calls_use_cases_only():
    targets = describe()
    herald = {d for d in targets["herald"].get("target_dependencies") or [] if d.startswith("Herald")}
    assert herald <= CLI_MAY_USE, f"herald depends on {sorted(herald - CLI_MAY_USE)}: put that work in a use case"
    for source in (ROOT / targets["herald"]["path"]).rglob("*.swift"):
        for module in re.findall(r"^import (Herald\w+)", source.read_text(encoding="utf-8"), re.M):
            assert module in CLI_MAY_USE, f"{source.relative_to(ROOT)} imports {module}"


def test_what_a_digest_says_and_how_it_travels_are_apart():
    """Templates change weekly, the wire rarely: no target both renders Mustache and speaks to the
    network through libcurl (SMTP in Mail, feeds fetched in Fetch)."""
    targets = describe()
    for name, target in targets.items():
        products = set(target.get("product_dependencies") or [])
        deps = set(target.get("target_dependencies") or [])
        assert not ("Mustache" in products and "CCurl" in deps), f"{name} renders templates and speaks over libcurl"
    assert "Mustache" not in (targets["HeraldMail"].get("product_dependencies") or [])
    assert "CCurl" in (targets["HeraldMail"].get("target_dependencies") or [])
    assert "Mustache" in (targets["HeraldDigest"].get("product_dependencies") or [])
    assert "CCurl" in (targets["HeraldFetch"].get("target_dependencies") or [])
    assert "Mustache" not in (targets["HeraldFetch"].get("product_dependencies") or [])


def test_tests_mirror_targets():
    """One test target per library target, named after it, and none for a target that is gone."""
    targets = describe()
    libraries = {n for n, t in targets.items() if t["type"] == "library" and n in ORDER}
    tests = {n for n, t in targets.items() if t["type"] == "test"}
    assert {f"{n}Tests" for n in libraries} == tests, f"libraries {sorted(libraries)}, test targets {sorted(tests)}"


def test_one_type_owns_the_published_site():
    """Only SiteLayout spells the output folder and the route words; everyone else asks it."""
    pattern = re.compile(r'"public/|"archive/|"/?(subscribe|confirm|unsubscribe)"(?!\s*:)|"_herald/|"/healthz"')
    offenders = []
    for source in (ROOT / "Sources").rglob("*.swift"):
        if source.name == "SiteLayout.swift":
            continue
        for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("//", 1)[0]
            # A command's name (`herald unsubscribe`) is the CLI's word, not a route.
            if pattern.search(code) and "commandName:" not in code:
                offenders.append(f"{source.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


def test_every_command_names_itself():
    # Without commandName ArgumentParser derives each name through String(describing:), whose
    # dynamic casts scan every protocol conformance in the binary: 5 ms of every run's start.
    for path in sorted((ROOT / "Sources" / "herald").glob("*.swift")):
        text = path.read_text()
        for match in re.finditer(r"CommandConfiguration\(", text):
            following = text[match.end():match.end() + 200].lstrip()
            assert following.startswith("commandName:"), f"{path.name}: a CommandConfiguration without commandName"
