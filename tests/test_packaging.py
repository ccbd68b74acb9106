"""The lock file still covers pyproject.toml, and the files the README and pyproject name are there."""

from __future__ import annotations

import importlib.metadata
import re
import sys
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement

if sys.version_info >= (3, 11):
    import tomllib
else:  # the backport factcheck itself uses there
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
NAME = PYPROJECT["project"]["name"]


def _norm(name: str) -> str:
    """A distribution name as the lock writes it (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _locked() -> dict[str, str]:
    """The releases requirements.lock pins for this interpreter: {normalised name: version}."""
    env = default_environment()
    pins = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if not line or line[0] in " #-":
            continue
        req = Requirement(line.rstrip(" \\"))
        if req.marker is None or req.marker.evaluate(env):
            (version,) = [s.version for s in req.specifier]
            pins[_norm(req.name)] = version
    return pins


def _wanted(extras: tuple[str, ...]) -> list[Requirement]:
    """Everything `.[extras]` asks for, factcheck's own extras expanded."""
    out, todo, seen = [], list(extras), set()
    out += [Requirement(r) for r in PYPROJECT["project"]["dependencies"]]
    while todo:
        extra = todo.pop()
        if extra in seen:
            continue
        seen.add(extra)
        for r in PYPROJECT["project"]["optional-dependencies"][extra]:
            req = Requirement(r)
            if _norm(req.name) == NAME:
                todo += sorted(req.extras)
            else:
                out.append(req)
    return out


def test_the_lock_pins_a_release_of_everything_pyproject_asks_for():
    """A dependency added to or changed in pyproject.toml without regenerating the lock fails here (README,
    "Packaging", says how to regenerate it)."""
    pins, env = _locked(), default_environment()
    missing = []
    for req in _wanted(("all", "test")):
        if req.marker is not None and not req.marker.evaluate(env):
            continue
        version = pins.get(_norm(req.name))
        if version is None or not req.specifier.contains(version, prereleases=True):
            missing.append(f"{req} (locked: {version})")
    assert missing == [], "requirements.lock is out of date with pyproject.toml: " + ", ".join(missing)


def test_the_license_file_matches_pyproject():
    assert PYPROJECT["project"]["license"] == {"text": "MIT"}
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "Copyright (c) 2026 the factcheck authors" in text


def test_every_repository_path_the_readme_names_exists():
    """Paths in backquotes under the repository's own folders, the Layout list, and the install files."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    named = set()
    for quoted in re.findall(r"`([^`\n]+)`", readme):
        for token in re.split(r"[\s,()]+", quoted):
            token = token.strip("'\":;")
            if re.match(r"(factcheck|tests|bench|examples|seeds|\.ci)/", token) and "*" not in token:
                named.add(token)
    for line in readme.splitlines():
        m = re.match(r" {4}((?:factcheck|tests|bench|examples)/\S*)", line)
        if m:
            named.add(m.group(1).rstrip(","))
    named |= {"requirements.lock", "LICENSE", "pyproject.toml", "alembic.ini"}
    assert len(named) > 40
    assert sorted(p for p in named if not (ROOT / p).exists()) == []


def _requires(name: str, extras: frozenset[str], env: dict[str, str]) -> list[Requirement]:
    """What the installed distribution `name` needs when installed with `extras`, for this interpreter."""
    out = []
    for text in importlib.metadata.requires(name) or []:
        req = Requirement(text)
        if req.marker is None or any(req.marker.evaluate({**env, "extra": e}) for e in extras | {""}):
            out.append(req)
    return out


def test_the_lock_is_closed_so_installing_it_without_resolving_is_complete():
    """The lock is installed with `pip install --no-deps` (pip's hash mode refuses a dependency asked for with
    extras, such as `lxml[html_clean]`): so every locked package's own requirements, extras included, must be
    locked at a release they accept."""
    pins, env = _locked(), dict(default_environment())
    todo = [(_norm(r.name), frozenset(r.extras)) for r in _wanted(("all", "test"))
            if r.marker is None or r.marker.evaluate(env)]
    seen, missing = set(), []
    while todo:
        name, extras = todo.pop()
        if (name, extras) in seen or name == NAME:
            continue
        seen.add((name, extras))
        for req in _requires(name, extras, env):
            version = pins.get(_norm(req.name))
            if version is None or not req.specifier.contains(version, prereleases=True):
                missing.append(f"{name} needs {req} (locked: {version})")
            else:
                todo.append((_norm(req.name), frozenset(req.extras)))
    assert len(seen) > 30
    assert missing == [], "requirements.lock is not closed: " + "; ".join(missing)


def test_the_readme_and_ci_install_the_lock_without_resolving():
    """pip's hash mode cannot resolve extras of dependencies, so both install with --no-deps."""
    for path in ("README.md", ".ci/run"):
        text = (ROOT / path).read_text(encoding="utf-8")
        installs = re.findall(r"pip install[^&\n]*requirements\.lock", text)
        assert installs and all("--no-deps" in cmd for cmd in installs), (path, installs)
