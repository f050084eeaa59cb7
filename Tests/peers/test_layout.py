"""The layering README promises, checked against SwiftPM's own description of the
package: Herald's targets form a pipeline whose dependencies run one way, every file
imports only what its target names, and README's layout table lists every target."""
import json
import pathlib
import re
import subprocess

ROOT = pathlib.Path(__file__).resolve().parents[2]
# The pipeline from the bottom up; a target may use only targets before it.
ORDER = ["HeraldBase", "HeraldConfig", "HeraldContent", "HeraldFeeds", "HeraldState", "HeraldMail",
         "HeraldUseCases", "herald"]
SIDEWAYS = {("HeraldFeeds", "HeraldState"), ("HeraldState", "HeraldFeeds"), ("HeraldState", "HeraldContent"),
            ("HeraldMail", "HeraldFeeds")}


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
