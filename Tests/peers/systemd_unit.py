"""Start a service unit's commands the way systemd would, without systemd (no PID 1 here).

The unit and its drop-ins are read from an installed tree (`make install DESTDIR=ROOT`):
specifiers (%i, %n, …), Environment= and EnvironmentFile=, WorkingDirectory=,
StateDirectory= ($STATE_DIRECTORY), LoadCredential= ($CREDENTIALS_DIRECTORY, files copied
0400 as systemd does), UMask=, ExecStartPre= then ExecStart= with systemd's expansion
(`${X}` one word, a lone `$X` split on whitespace). Every absolute path is taken inside ROOT,
so the unit runs over the installed tree as if ROOT were `/`. What systemd refuses before
starting a command (a missing ReadWritePaths= or WorkingDirectory=, a LoadCredential= source
that cannot be read) raises UnitRefused naming systemd's exit status for it.
User=, the sandboxing and the cgroup are not emulated: `systemd-analyze verify` checks those."""
import os
import pathlib
import re
import shlex
import subprocess

# Settings that add to a list (an empty assignment clears it); the others: the last one wins.
LISTS = {"Environment", "EnvironmentFile", "ExecStartPre", "ExecStart", "ExecStartPost", "LoadCredential",
         "ReadWritePaths", "ReadOnlyPaths", "StateDirectory", "RestartPreventExitStatus", "SuccessExitStatus"}
# What systemd starts a service with (system manager, User= set: it adds USER, LOGNAME, HOME, SHELL).
SYSTEM_TOOLS = ("/usr/bin/", "/bin/", "/usr/sbin/", "/sbin/")
BASE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


class UnitRefused(Exception):
    """systemd would not start the command: `status` is what `systemctl status` shows."""
    def __init__(self, status, message):
        super().__init__(f"{status}: {message}")
        self.status = status


def parse(text):
    """[(section, key, value)] in file order: comments dropped, continuation lines joined."""
    entries, section, pending = [], None, ""
    for raw in text.splitlines():
        line = (pending + raw.strip()) if pending else raw.strip()
        if line.endswith("\\"):
            pending = line[:-1] + " "
            continue
        pending = ""
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
            continue
        key, _, value = line.partition("=")
        entries.append((section, key.strip(), value.strip()))
    return entries


class Unit:
    """One instance of a template service, as installed under `root`."""

    def __init__(self, root, unit_dir, template, instance, dropin_dirs=()):
        self.root = pathlib.Path(root)
        self.template = template  # "herald-serve@.service"
        self.instance = instance
        prefix, _, suffix = template.partition("@")
        self.name = f"{prefix}@{instance}{suffix}"
        unit_dir = pathlib.Path(unit_dir)
        files = [unit_dir / template]
        # Drop-ins of the template and of the instance, applied in file name order; of two
        # with one name, the one in /etc (dropin_dirs) and the instance's win, as in systemd.
        dropins = {}
        for folder in [*dropin_dirs, unit_dir]:
            for dirname in (f"{self.name}.d", f"{template}.d"):
                for conf in sorted((pathlib.Path(folder) / dirname).glob("*.conf")):
                    dropins.setdefault(conf.name, conf)
        files += [dropins[k] for k in sorted(dropins)]
        self.files = files
        self.settings = {}
        for file in files:
            for section, key, value in parse(file.read_text()):
                if section != "Service":
                    self.settings.setdefault(f"{section}.{key}", []).append(value)
                    continue
                if key in LISTS:
                    values = self.settings.setdefault(key, [])
                    if value == "":
                        values.clear()
                    else:
                        values.append(value)
                else:
                    self.settings[key] = [value]

    # -- specifiers and paths

    def specifiers(self, value):
        table = {"i": self.instance, "I": self.instance, "n": self.name, "N": self.name.rsplit(".", 1)[0],
                 "p": self.name.split("@")[0], "%": "%"}
        return re.sub(r"%(.)", lambda m: table[m.group(1)], value)

    def inside(self, path):
        """An absolute path of the unit, as it is in the installed tree."""
        path = str(path)
        if path.startswith(str(self.root) + "/") or not path.startswith("/"):
            return path
        # The system's own tools (/usr/bin/git, /bin/sh) come from its packages, not `make install`.
        if path.startswith(SYSTEM_TOOLS) and not os.path.exists(str(self.root) + path) and os.path.exists(path):
            return path
        return str(self.root) + path

    def get(self, key):
        return [self.specifiers(v) for v in self.settings.get(key, [])]

    def one(self, key, default=None):
        values = self.get(key)
        return values[-1] if values else default

    # -- the execution environment

    def environment(self):
        """The command's environment: systemd's own variables, then the unit's, its paths inside ROOT."""
        # The unit's paths are inside the installed tree, each word of a list too.
        unit = {k: " ".join(self.inside(w) if w.startswith("/") else w for w in v.split(" "))
                for k, v in self.declared_environment().items()}
        return {"PATH": BASE_PATH, "LANG": "C.UTF-8", "USER": self.one("User", "root"),
                "LOGNAME": self.one("User", "root"), "HOME": str(self.root), "SHELL": "/usr/sbin/nologin",
                "INVOCATION_ID": "0" * 32, **unit}

    def declared_environment(self):
        """Environment= and EnvironmentFile= in effect (a later assignment wins), as the unit spells them."""
        env = {}
        for value in self.get("Environment"):
            for assignment in shlex.split(value):
                key, _, val = assignment.partition("=")
                env[key] = val
        for value in self.get("EnvironmentFile"):
            optional = value.startswith("-")
            path = pathlib.Path(self.inside(value.lstrip("-")))
            if not path.exists():
                if optional:
                    continue
                raise UnitRefused("result=resources", f"failed to load environment files: {value} does not exist")
            for line in path.read_text().splitlines():
                line = line.strip()
                if line and not line.startswith(("#", ";")) and "=" in line:
                    key, _, val = line.partition("=")
                    env[key.strip()] = val.strip().strip('"')
        return env

    def prepare(self):
        """What systemd does before the first command: (environment, working directory)."""
        env = self.environment()
        for path in self.get("ReadWritePaths") + self.get("ReadOnlyPaths"):
            for word in path.split():
                if not word.startswith("-") and not os.path.exists(self.inside(word)):
                    raise UnitRefused("status=226/NAMESPACE", f"{word} (ReadWritePaths=/ReadOnlyPaths=) does not exist")
        states = [w for value in self.get("StateDirectory") for w in value.split()]
        if states:
            dirs = [pathlib.Path(self.inside("/var/lib/" + name)) for name in states]
            for folder in dirs:
                folder.mkdir(parents=True, exist_ok=True)
            env["STATE_DIRECTORY"] = ":".join(map(str, dirs))
        credentials = self.get("LoadCredential")
        if credentials:
            folder = pathlib.Path(self.inside(f"/run/credentials/{self.name}"))
            folder.mkdir(parents=True, exist_ok=True)
            os.chmod(folder, 0o700)
            for value in credentials:
                ident, _, source = value.partition(":")
                try:
                    data = pathlib.Path(self.inside(source)).read_bytes()  # follows links, as systemd does
                except OSError as error:
                    raise UnitRefused("status=243/CREDENTIALS", f"LoadCredential={value}: {error}") from None
                target = folder / ident
                if target.exists():
                    os.chmod(target, 0o600)
                target.write_bytes(data)
                os.chmod(target, 0o400)
            env["CREDENTIALS_DIRECTORY"] = str(folder)
        cwd = self.one("WorkingDirectory", "/")
        optional = cwd.startswith("-")
        cwd = self.inside(cwd.lstrip("-"))
        if not os.path.isdir(cwd):
            if not optional:
                raise UnitRefused("status=200/CHDIR", f"WorkingDirectory={cwd} does not exist")
            cwd = str(self.root)
        return env, cwd

    def command(self, line, env):
        """argv of an Exec*= line: (argv, failure ignored)."""
        ignore = False
        while line and line[0] in "-@+!:":
            ignore |= line[0] == "-"
            line = line[1:]
        argv = []
        for word in shlex.split(line):
            whole = re.fullmatch(r"\$([A-Za-z_][A-Za-z0-9_]*)", word)
            if whole:
                argv += env.get(whole.group(1), "").split()
                continue
            argv.append(re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", lambda m: env.get(m.group(1), ""), word))
        return [self.inside(w) if w.startswith("/") else w for w in argv], ignore

    def umask(self):
        return int(self.one("UMask", "0022"), 8)

    def start(self, **popen):
        """ExecStartPre= lines (each must succeed), then ExecStart= as a process (Type=exec/simple)."""
        env, cwd = self.prepare()
        for line in self.get("ExecStartPre"):
            argv, ignore = self.command(line, env)
            proc = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True,
                                  preexec_fn=lambda: os.umask(self.umask()))
            if proc.returncode != 0 and not ignore:
                raise UnitRefused(f"status={proc.returncode}", f"ExecStartPre={line}: {proc.stderr}")
        [start] = self.get("ExecStart")
        argv, _ = self.command(start, env)
        self.argv, self.env, self.cwd = argv, env, cwd
        return subprocess.Popen(argv, env=env, cwd=cwd, preexec_fn=lambda: os.umask(self.umask()), **popen)

    def restarts_after(self, status):
        """Whether Restart=on-failure would start it again after exit `status`."""
        if self.one("Restart", "no") not in ("on-failure", "always"):
            return False
        if status == 0 or str(status) in " ".join(self.get("SuccessExitStatus")).split():
            return False
        return str(status) not in " ".join(self.get("RestartPreventExitStatus")).split()
