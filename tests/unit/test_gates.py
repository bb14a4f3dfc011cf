"""Which gates apply to which project, and how a gate's outcome is reported."""

from __future__ import annotations

from pathlib import Path

from aiscaffold.gates import GATES, Gate, GateResult, run_gates

ANSWERS = {"include_docker": True, "ci_provider": "github", "use_precommit": True}


def names(results: list[GateResult]) -> dict[str, bool | None]:
    return {result.name: result.passed for result in results}


def test_options_switch_gates_off(tmp_path: Path) -> None:
    answers = {"include_docker": False, "ci_provider": "none", "use_precommit": True}
    gates = [gate for gate in GATES if gate.command[0] in {"hadolint", "check-jsonschema", "pre-commit"}]
    results = names(run_gates(tmp_path, answers, gates=gates))
    assert set(results.values()) == {None}  # no Docker, no CI, and pre-commit needs a git repository


def test_gate_results_report_pass_and_fail(tmp_path: Path) -> None:
    gates = [Gate("passes", ("uv", "--version")), Gate("fails", ("uv", "no-such-command"))]
    results = run_gates(tmp_path, ANSWERS, gates=gates)
    assert names(results) == {"passes": True, "fails": False}
    assert results[1].output


def test_the_template_update_workflow_is_checked_when_present(tmp_path: Path) -> None:
    gates = [gate for gate in GATES if gate.name == "template-update workflow schema"]
    assert names(run_gates(tmp_path, ANSWERS, gates=gates)) == {"template-update workflow schema": None}
    workflow = tmp_path / ".github" / "workflows" / "template-update.yml"
    workflow.parent.mkdir(parents=True)
    valid = "on: {schedule: [{cron: '17 5 * * 1'}]}\njobs: {update: {runs-on: x, steps: [{run: 'true'}]}}\n"
    workflow.write_text(valid)
    assert names(run_gates(tmp_path, ANSWERS, gates=gates)) == {"template-update workflow schema": True}
    workflow.write_text(valid.replace("runs-on", "run-on"))
    assert names(run_gates(tmp_path, ANSWERS, gates=gates)) == {"template-update workflow schema": False}
