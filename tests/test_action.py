"""The composite GitHub Action: metadata schema, no script injection, and its `run:` steps
executed locally with bash in a temporary workspace (GITHUB_* files set as a runner would).

`uses:` steps (actions/setup-python) are the runner's business and are skipped. The fast
tests skip the install step and use the speechgate installed in this environment; the slow
test also runs the install step, into a throwaway virtual environment.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import venv
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft7Validator

from .conftest import ROOT

ACTION = ROOT / "action.yml"
RISKY_VTT = (
    "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n"
    "<v Speaker 1>You can write to me at rowan.quill@example.org any time.\n"
)
CLEAN_SRT = "1\n00:00:01,000 --> 00:00:02,000\nThe weather was mild today.\n"
_EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def _action() -> dict:
    return yaml.safe_load(ACTION.read_text(encoding="utf-8"))


def test_action_validates_against_schemastore(shared_schemas: Path) -> None:
    schema = json.loads((shared_schemas / "github-action.json").read_text(encoding="utf-8"))
    assert [e.message for e in Draft7Validator(schema).iter_errors(_action())] == []


def test_inputs_and_outputs() -> None:
    action = _action()
    assert {"paths", "tier", "config", "baseline", "sarif-file", "ner", "python-version",
            "fail-on-findings", "changed-only"} <= set(action["inputs"])
    assert {"passed", "max-risk", "report"} <= set(action["outputs"])
    assert action["runs"]["using"] == "composite"
    setup = [s for s in action["runs"]["steps"] if "uses" in s]
    assert setup[0]["uses"].startswith("actions/setup-python@")
    assert setup[0]["with"]["python-version"] == "${{ inputs.python-version }}"


def test_scripts_never_expand_expressions() -> None:
    """Inputs reach scripts through env only: no `${{ ... }}` inside any `run:` script."""
    for step in _action()["runs"]["steps"]:
        if "run" in step:
            assert "${{" not in step["run"], step["name"]
            assert step["shell"] == "bash"
            for value in step.get("env", {}).values():
                for expr in _EXPR.findall(str(value)):
                    assert expr.startswith("inputs.") or expr == "github.action_path", expr


@dataclass
class Outcome:
    code: int
    stdout: str
    summary: str
    outputs: dict[str, str]


def run_action(workspace: Path, inputs: dict[str, str], tmp: Path, *, install: bool = False,
               extra_env: dict[str, str] | None = None) -> Outcome:
    """Execute the action's `run:` steps in order, as the runner would, stopping at a failure."""
    action = _action()
    values = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    values.update(inputs)
    summary, outputs = tmp / "step_summary.md", tmp / "github_output"
    runner_temp = tmp / "runner_temp"
    runner_temp.mkdir(exist_ok=True)
    summary.touch()
    outputs.touch()
    base = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "INPUT_", "RUNNER_"))}
    base.update(GITHUB_ACTIONS="true", GITHUB_WORKSPACE=str(workspace), GITHUB_ACTION_PATH=str(ROOT),
                GITHUB_STEP_SUMMARY=str(summary), GITHUB_OUTPUT=str(outputs), RUNNER_TEMP=str(runner_temp),
                SPEECHGATE_CACHE_DIR=str(tmp / "cache"), XDG_CONFIG_HOME=str(tmp / "config"),
                SPEECHGATE_FINGERPRINT_KEY="test-key", **(extra_env or {}))

    def substitute(text: str) -> str:
        def one(m: re.Match[str]) -> str:
            expr = m.group(1)
            if expr == "github.action_path":
                return str(ROOT)
            assert expr.startswith("inputs."), expr
            return values[expr.removeprefix("inputs.")]
        return _EXPR.sub(one, text)

    stdout = ""
    code = 0
    for step in action["runs"]["steps"]:
        if "run" not in step or (step.get("id") == "install" and not install):
            continue
        env = dict(base)
        env.update({k: substitute(str(v)) for k, v in step.get("env", {}).items()})
        done = subprocess.run(["bash", "--noprofile", "--norc", "-e", "-o", "pipefail", "-c", step["run"]],
                              cwd=workspace, env=env, capture_output=True, text=True, check=False, timeout=1800)
        stdout += done.stdout + done.stderr
        code = done.returncode
        if code != 0:
            break
    parsed = dict(line.split("=", 1) for line in outputs.read_text(encoding="utf-8").splitlines() if "=" in line)
    return Outcome(code, stdout, summary.read_text(encoding="utf-8"), parsed)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    ws = tmp_path / "workspace"
    (ws / "transcripts").mkdir(parents=True)
    (ws / "transcripts" / "call.vtt").write_text(RISKY_VTT, encoding="utf-8")
    (ws / "transcripts" / "clean.srt").write_text(CLEAN_SRT, encoding="utf-8")
    return ws


def test_failing_gate_fails_step_with_summary_annotations_outputs_and_sarif(
    workspace: Path, tmp_path: Path, shared_schemas: Path
) -> None:
    result = run_action(workspace, {"tier": "public"}, tmp_path)
    assert result.code == 1, result.stdout
    assert result.outputs["passed"] == "false"
    assert float(result.outputs["max-risk"]) > 0.25
    report = json.loads(Path(result.outputs["report"]).read_text(encoding="utf-8"))
    assert report["passed"] is False
    assert "transcripts/call.vtt" in result.summary and "r***l@e***e.org" in result.summary
    assert "::error file=transcripts/call.vtt,line=4" in result.stdout
    sarif_path = Path(result.outputs["sarif-file"])
    assert sarif_path == workspace / "speechgate.sarif"
    sarif = json.loads(sarif_path.read_text(encoding="utf-8"))
    schema = json.loads((shared_schemas / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    assert [e.message for e in Draft7Validator(schema).iter_errors(sarif)] == []
    everything = result.stdout + result.summary + sarif_path.read_text() + json.dumps(report)
    assert "rowan.quill@example.org" not in everything


def test_report_only_mode_passes_the_step(workspace: Path, tmp_path: Path) -> None:
    result = run_action(workspace, {"fail-on-findings": "false"}, tmp_path)
    assert result.code == 0, result.stdout
    assert result.outputs["passed"] == "false"
    assert "reporting only" in result.stdout
    assert "transcripts/call.vtt" in result.summary


def test_clean_paths_pass(workspace: Path, tmp_path: Path) -> None:
    result = run_action(workspace, {"paths": "transcripts/clean.srt", "sarif-file": ""}, tmp_path)
    assert result.code == 0, result.stdout
    assert result.outputs["passed"] == "true"
    assert float(result.outputs["max-risk"]) == 0.0
    assert "sarif-file" not in result.outputs
    assert not (workspace / "speechgate.sarif").exists()
    assert result.summary.strip()


def test_baseline_input_accepts_recorded_findings(workspace: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    env.update(SPEECHGATE_FINGERPRINT_KEY="test-key")
    made = subprocess.run([sys.executable, "-m", "speechgate", "baseline", "create", ".speechgate-baseline.json"],
                          cwd=workspace, env=env, capture_output=True, text=True, check=False)
    assert made.returncode == 0, made.stderr
    result = run_action(workspace, {"baseline": ".speechgate-baseline.json"}, tmp_path)
    assert result.code == 0, result.stdout
    assert result.outputs["passed"] == "true"
    assert "::error" not in result.stdout


def test_changed_only_with_a_revision(workspace: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_AUTHOR_NAME="T", GIT_AUTHOR_EMAIL="t@example.invalid", GIT_COMMITTER_NAME="T",
               GIT_COMMITTER_EMAIL="t@example.invalid")

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=workspace, env=env, capture_output=True, text=True,
                              check=True).stdout.strip()

    git("init", "-q")
    git("add", "transcripts/call.vtt")
    git("commit", "-q", "-m", "risky, already released")
    first = git("rev-parse", "HEAD")
    git("add", "transcripts/clean.srt")
    git("commit", "-q", "-m", "clean")
    result = run_action(workspace, {"changed-only": first}, tmp_path)
    assert result.code == 0, result.stdout
    report = json.loads(Path(result.outputs["report"]).read_text(encoding="utf-8"))
    assert [a["path"] for a in report["artifacts"]] == ["transcripts/clean.srt"]

    # "true" on a pull request diffs against origin/<base branch>
    git("update-ref", "refs/remotes/origin/main", first)
    result = run_action(workspace, {"changed-only": "true"}, tmp_path, extra_env={"GITHUB_BASE_REF": "main"})
    assert result.code == 0, result.stdout
    report = json.loads(Path(result.outputs["report"]).read_text(encoding="utf-8"))
    assert [a["path"] for a in report["artifacts"]] == ["transcripts/clean.srt"]


def test_hostile_inputs_are_data_not_commands(workspace: Path, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    result = run_action(workspace, {"paths": f"$(touch {marker}) `touch {marker}`", "tier": f"public; touch {marker}",
                                    "changed-only": f"--output={marker}"}, tmp_path)
    assert result.code == 2, result.stdout
    assert not marker.exists()
    assert result.outputs["passed"] == "false"


def test_usage_error_fails_even_in_report_only_mode(workspace: Path, tmp_path: Path) -> None:
    result = run_action(workspace, {"paths": "missing/folder", "fail-on-findings": "false"}, tmp_path)
    assert result.code == 2
    assert "could not run" in result.stdout


@pytest.mark.slow
def test_install_step_in_a_fresh_environment(workspace: Path, tmp_path: Path) -> None:
    """All `run:` steps, the pip install of the action's checkout included, in a new venv."""
    if shutil.which("bash") is None:
        pytest.skip("bash is needed")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, system_site_packages=True, with_pip=True)
    path = f"{env_dir / 'bin'}{os.pathsep}{os.environ['PATH']}"
    result = run_action(workspace, {"tier": "public"}, tmp_path, install=True,
                        extra_env={"PATH": path, "VIRTUAL_ENV": str(env_dir)})
    assert "speechgate " in result.stdout  # the install step's `speechgate --version`
    assert result.code == 1, result.stdout
    assert result.outputs["passed"] == "false"
    assert "transcripts/call.vtt" in result.summary
    installed = subprocess.run([str(env_dir / "bin" / "python"), "-c",
                                "import speechgate, pathlib; print(pathlib.Path(speechgate.__file__).parent)"],
                               capture_output=True, text=True, check=True).stdout.strip()
    assert str(env_dir) in installed  # the action's own copy, not this checkout's editable install
