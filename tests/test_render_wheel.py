"""The default templates and label catalogues ship inside the wheel: build it from a copy of
the source tree, install it into a fresh virtual environment outside the tree, and render."""

from __future__ import annotations

import shutil
import site
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
VALID = Path(__file__).parent / "data" / "valid"


def run(*args: object, cwd: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(arg) for arg in args], cwd=cwd, capture_output=True, text=True,
                          check=False,
                          timeout=300)
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done


def build_wheel(tmp_path: Path) -> Path:
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(ROOT / "templates", source / "templates")
    shutil.copytree(ROOT / "src", source / "src", symlinks=True,
                    ignore=shutil.ignore_patterns("*.egg-info", "__pycache__"))
    import setuptools

    # Without isolation when this environment's setuptools can build the project (faster,
    # offline); else the build tool fetches the build requirements into an isolated one.
    modern = int(setuptools.__version__.split(".")[0]) >= 77
    run(sys.executable, "-m", "build", "--wheel", *(["--no-isolation"] if modern else []),
        "--outdir", tmp_path / "dist", source, cwd=tmp_path)
    (wheel,) = (tmp_path / "dist").glob("procflow-*.whl")
    return wheel


@pytest.mark.slow
def test_the_built_wheel_renders_with_its_packaged_templates(tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path)
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    python, procflow = venv / "bin" / "python", venv / "bin" / "procflow"
    run(python, "-m", "pip", "install", "-q", "--no-deps", "--no-index", wheel, cwd=tmp_path)
    # procflow's dependencies come from this environment's site-packages (after the venv's own,
    # so the installed wheel, not the source tree, provides procflow)
    purelib = run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                  cwd=tmp_path).stdout.strip()
    Path(purelib, "deps.pth").write_text("\n".join(site.getsitepackages()) + "\n",
                                         encoding="utf-8")
    where = run(python, "-c", "import procflow.render.environment as e; print(e.__file__); "
                "print(e.builtin_dir())", cwd=tmp_path).stdout.split()
    assert all(path.startswith(purelib) for path in where), where
    assert Path(where[1], "procedure.md.j2").is_file()
    assert Path(where[1], "i18n", "cs.yaml").is_file()

    project = tmp_path / "project"
    shutil.copytree(VALID, project)
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    (overrides / "procedure.md.j2").write_text(
        '{% extends "default/procedure.md.j2" %}{% block title %}# FROM THE WHEEL{% endblock %}',
        encoding="utf-8")
    out = tmp_path / "site"
    run(procflow, "render", project / "procedures", "--output", out, "--format", "md,html,svg",
        "--templates", overrides, "--by-role", cwd=tmp_path)
    assert (out / "it-access.md").read_text(encoding="utf-8").startswith("# FROM THE WHEEL")
    assert "Krok 1" in (out / "it-access.md").read_text(encoding="utf-8")
    assert "<svg" in (out / "it-access.html").read_text(encoding="utf-8")
    assert (out / "index.html").is_file() and (out / "complaint-handling--agent.md").is_file()
