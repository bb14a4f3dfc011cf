"""The opt-in template updates: a generated project's `scripts/template_update.py`, run for real.

Everything around the script is real except what it calls out to: a stub `aiscaffold` first on PATH prints a
canned `update --json` report (and changes the work tree as the update would), `origin` is a bare git
repository on disk, and the GitHub/GitLab REST API is a local HTTP server that records each request. Not
marked slow: it renders one project per forge and installs nothing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from support import git

from aiscaffold.answers import AnswerPolicy
from aiscaffold.catalog import parse_template
from aiscaffold.generator import RenderRequest, render
from aiscaffold.sources import resolve_source

CREDENTIAL = "token-that-must-not-leak"
BRANCH = "aiscaffold/update-v0.2.0"
CHANGELOG = "## v0.2.0\n\n- The Dockerfile runs as user 10001."
TEMPLATE_CHANGE = "Template improvement from v0.2.0.\n"
GATES = [
    {"name": "ruff check", "passed": True, "seconds": 1.5, "detail": ""},
    {"name": "pytest (coverage >= 90 %)", "passed": True, "seconds": 42.0, "detail": "96 % | 120 passed"},
    {"name": "pre-commit", "passed": None, "seconds": 0.0, "detail": "not installed"},
]
STUB = """\
#!{python}
import json, os, pathlib, subprocess, sys
scenario = json.loads(pathlib.Path(os.environ["STUB_SCENARIO"]).read_text())
pathlib.Path(os.environ["STUB_SEEN"]).write_text(json.dumps(
    {{"argv": sys.argv[1:], "cwd": os.getcwd(), "tokens": [n for n in os.environ if "TOKEN" in n]}}
))
if scenario.get("merge"):
    subprocess.run(["git", "merge", "--no-commit", "--no-ff", "-q", "template-history"], check=True)
for name, text in scenario.get("write", {{}}).items():
    pathlib.Path(name).write_text(text)
sys.stdout.write(scenario["stdout"])
sys.stderr.write(scenario.get("stderr", ""))
sys.exit(scenario["exit"])
"""


def report(**changes: Any) -> dict[str, Any]:
    """An `aiscaffold update --json` report of a successful update from v0.1.0 to v0.2.0."""
    return {
        "project": "/abs/path",
        "old_version": "v0.1.0",
        "new_version": "v0.2.0",
        "updated": True,
        "written": True,
        "added": ["scripts/new_tool.py"],
        "changed": ["README.md", "pyproject.toml"],
        "deleted": ["docs/old.md"],
        "conflicted": [],
        "gates": GATES,
        "changelog": CHANGELOG,
    } | changes


@dataclass
class Api:
    """A stub forge API: answers GET with ``existing`` and POST with a created request; records both."""

    existing: list[dict[str, str]] = field(default_factory=list)
    post_status: int = 201
    requests: list[dict[str, Any]] = field(default_factory=list)
    url: str = ""

    def answer(self, method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, object]:
        self.requests.append(
            {"method": method, "path": path, "headers": headers, "body": json.loads(body) if body else None}
        )
        if method == "GET":
            return 200, self.existing
        if self.post_status != 201:
            return self.post_status, {
                "message": "Validation Failed",
                "errors": [{"message": "base is wrong"}],
            }
        return 201, {"html_url": "https://forge.example/pull/7", "web_url": "https://forge.example/mr/7"}

    def posts(self) -> list[dict[str, Any]]:
        return [request for request in self.requests if request["method"] == "POST"]


@pytest.fixture
def api() -> Iterator[Api]:
    stub = Api()

    class Handler(BaseHTTPRequestHandler):
        def _reply(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = {name.lower(): value for name, value in self.headers.items()}
            status, payload = stub.answer(self.command, self.path, headers, body)
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = _reply

        def log_message(self, *args: object) -> None:
            pass

    with ThreadingHTTPServer(("127.0.0.1", 0), Handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        stub.url = f"http://127.0.0.1:{server.server_address[1]}"
        yield stub
        server.shutdown()
        thread.join()


@pytest.fixture(scope="module", params=["github", "gitlab"])
def rendered(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """A project rendered with template updates on, once per forge."""
    target = tmp_path_factory.mktemp(request.param) / "widget"
    render(
        RenderRequest(
            template=parse_template("api-service"),
            source=resolve_source(None, None),
            target=target,
            answers=AnswerPolicy(
                {"ci_provider": request.param, "template_updates": True},
                accept_defaults=True,
                interactive=False,
            ),
        )
    )
    return request.param, target


@dataclass
class Checkout:
    """A CI job's checkout of the project, its `origin` and what the script needs around it."""

    forge: str
    project: Path
    origin: Path
    bin: Path
    scratch: Path

    def run(
        self, api: Api, stdout: str, *, exit_code: int = 0, **scenario: Any
    ) -> subprocess.CompletedProcess[str]:
        """Run the project's script with the stub aiscaffold answering ``stdout`` and ``exit_code``."""
        (self.scratch / "scenario.json").write_text(
            json.dumps({"stdout": stdout, "exit": exit_code, **scenario})
        )
        return subprocess.run(
            [sys.executable, "scripts/template_update.py"],
            cwd=self.project,
            env=self.environment(api),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    def environment(self, api: Api) -> dict[str, str]:
        base = {
            "PATH": f"{self.bin}{os.pathsep}{os.environ['PATH']}",
            "HOME": str(self.scratch),
            "GIT_CONFIG_NOSYSTEM": "1",  # no identity from the machine: the script brings its own
            "STUB_SCENARIO": str(self.scratch / "scenario.json"),
            "STUB_SEEN": str(self.scratch / "seen.json"),
        }
        server = f"file://{self.origin.parent.parent}"
        if self.forge == "github":
            return base | {
                "GITHUB_ACTIONS": "true",
                "GITHUB_API_URL": api.url,
                "GITHUB_SERVER_URL": server,
                "GITHUB_REPOSITORY": "acme/widget",
                "GITHUB_REF_NAME": "main",
                "GITHUB_TOKEN": CREDENTIAL,
            }
        return base | {
            "GITLAB_CI": "true",
            "CI_API_V4_URL": f"{api.url}/api/v4",
            "CI_SERVER_URL": server,
            "CI_PROJECT_ID": "42",
            "CI_PROJECT_PATH": "acme/widget",
            "CI_COMMIT_REF_NAME": "main",
            "AISCAFFOLD_UPDATE_TOKEN": CREDENTIAL,
        }

    def seen(self) -> dict[str, Any]:
        """What the stub aiscaffold saw: its arguments, folder and the token variables in its environment."""
        seen: dict[str, Any] = json.loads((self.scratch / "seen.json").read_text())
        return seen

    def remote_branches(self) -> list[str]:
        return git("for-each-ref", "--format=%(refname:short)", "refs/heads", cwd=self.origin).splitlines()


@pytest.fixture
def checkout(rendered: tuple[str, Path], tmp_path: Path) -> Checkout:
    """The rendered project committed, pushed to a bare `origin` and cloned back, as a CI job sees it."""
    forge, source = rendered
    work = tmp_path / "work"
    shutil.copytree(source, work)
    git("init", "-q", "-b", "main", cwd=work)
    git("add", "-A", cwd=work)
    git("commit", "-qm", "initial", cwd=work)
    # What the update merges in: the template's history, a side branch from the first commit.
    git("switch", "-qc", "template-history", cwd=work)
    (work / "CONTRIBUTING.md").write_text(TEMPLATE_CHANGE)
    git("add", "-A", cwd=work)
    git("commit", "-qm", "template v0.2.0", cwd=work)
    git("switch", "-q", "main", cwd=work)
    origin = tmp_path / "server" / "acme" / "widget.git"
    origin.parent.mkdir(parents=True)
    git("clone", "-q", "--bare", str(work), str(origin), cwd=tmp_path)
    project = tmp_path / "widget"
    git("clone", "-q", "--no-single-branch", str(origin), str(project), cwd=tmp_path)
    git("branch", "-q", "template-history", "origin/template-history", cwd=project)
    git("push", "-q", str(origin), ":template-history", cwd=project)  # origin holds only main, as in CI
    stub_bin = tmp_path / "bin"
    stub_bin.mkdir()
    stub = stub_bin / "aiscaffold"
    stub.write_text(STUB.format(python=sys.executable))
    stub.chmod(0o755)
    return Checkout(forge, project, origin, stub_bin, tmp_path)


def one_line(stream: str) -> str:
    lines = stream.splitlines()
    assert len(lines) == 1, stream
    assert "Traceback" not in stream
    return lines[0]


def test_an_update_that_passed_its_gates_is_pushed_and_proposed(checkout: Checkout, api: Api) -> None:
    completed = checkout.run(api, json.dumps(report()), write={"README.md": TEMPLATE_CHANGE})

    assert completed.returncode == 0, completed.stderr
    kind = "pull request" if checkout.forge == "github" else "merge request"
    assert one_line(completed.stdout).startswith(f"Opened {kind} https://forge.example/")
    assert checkout.seen() == {
        "argv": ["update", "--verify", "--defaults", "--json"],
        "cwd": str(checkout.project),
        "tokens": [],  # the gates run the new template's code: no token reaches them
    }
    assert sorted(checkout.remote_branches()) == [BRANCH, "main"]
    assert git("log", "-1", "--format=%s", BRANCH, cwd=checkout.origin) == "chore: update template to v0.2.0"
    assert git("show", f"{BRANCH}:README.md", cwd=checkout.origin) == TEMPLATE_CHANGE.strip()
    assert git("rev-parse", f"{BRANCH}^", cwd=checkout.origin) == git(
        "rev-parse", "main", cwd=checkout.origin
    )

    [post] = api.posts()
    body = post["body"]
    if checkout.forge == "github":
        assert post["path"] == "/repos/acme/widget/pulls"
        assert post["headers"]["authorization"] == f"Bearer {CREDENTIAL}"
        assert (body["head"], body["base"], body["draft"]) == (BRANCH, "main", False)
        text = body["body"]
    else:
        assert post["path"] == "/api/v4/projects/42/merge_requests"
        assert post["headers"]["private-token"] == CREDENTIAL
        assert (body["source_branch"], body["target_branch"], body["squash"]) == (BRANCH, "main", False)
        text = body["description"]
    assert body["title"] == "chore: update template to v0.2.0"
    assert "**v0.1.0** to **v0.2.0**" in text
    assert CHANGELOG in text
    for path in ("scripts/new_tool.py", "README.md", "pyproject.toml", "docs/old.md"):
        assert f"- `{path}`" in text
    assert "| ruff check | pass | 1.5 s |  |" in text
    assert "| pytest (coverage >= 90 %) | pass | 42.0 s | 96 % \\| 120 passed |" in text
    assert "| pre-commit | skipped | 0.0 s | not installed |" in text
    assert "merge commit, not squash" in text
    assert "Conflicted" not in text


def test_the_request_is_looked_for_before_anything_is_pushed(checkout: Checkout, api: Api) -> None:
    checkout.run(api, json.dumps(report()), write={"README.md": TEMPLATE_CHANGE})

    get = api.requests[0]
    assert get["method"] == "GET"
    if checkout.forge == "github":
        assert get["path"] == "/repos/acme/widget/pulls?head=acme%3Aaiscaffold%2Fupdate-v0.2.0&state=all"
    else:
        assert (
            get["path"]
            == "/api/v4/projects/42/merge_requests?source_branch=aiscaffold%2Fupdate-v0.2.0&state=all"
        )


def test_a_merge_left_in_progress_is_pushed_as_a_merge_commit(checkout: Checkout, api: Api) -> None:
    completed = checkout.run(api, json.dumps(report()), merge=True)

    assert completed.returncode == 0, completed.stderr
    parents = git("log", "-1", "--format=%P", BRANCH, cwd=checkout.origin).split()
    history = git("rev-parse", "template-history", cwd=checkout.project)
    assert parents == [git("rev-parse", "main", cwd=checkout.origin), history]
    assert git("show", f"{BRANCH}:CONTRIBUTING.md", cwd=checkout.origin) == TEMPLATE_CHANGE.strip()


def test_a_stale_branch_without_a_request_is_replaced(checkout: Checkout, api: Api) -> None:
    """A run that pushed but did not open its request leaves the branch behind; the next run takes it."""
    git("push", "-q", str(checkout.origin), f"template-history:refs/heads/{BRANCH}", cwd=checkout.project)
    completed = checkout.run(api, json.dumps(report()), write={"README.md": TEMPLATE_CHANGE})

    assert completed.returncode == 0, completed.stderr
    assert git("rev-parse", f"{BRANCH}^", cwd=checkout.origin) == git(
        "rev-parse", "main", cwd=checkout.origin
    )
    assert len(api.posts()) == 1


def test_conflicts_make_a_draft_that_lists_them(checkout: Checkout, api: Api) -> None:
    conflicted = report(conflicted=["README.md"])
    completed = checkout.run(api, json.dumps(conflicted), write={"README.md": "<<<<<<< before\n"})

    assert completed.returncode == 0, completed.stderr
    [post] = api.posts()
    if checkout.forge == "github":
        assert post["body"]["draft"] is True
        text = post["body"]["body"]
    else:
        assert post["body"]["title"] == "Draft: chore: update template to v0.2.0"
        text = post["body"]["description"]
    assert "**1 conflicted file(s)**" in text
    assert "**Conflicted** (1)\n\n- `README.md`" in text


def test_an_existing_request_for_the_version_is_not_opened_again(checkout: Checkout, api: Api) -> None:
    api.existing = [{"html_url": "https://forge.example/pull/3", "web_url": "https://forge.example/mr/3"}]
    completed = checkout.run(api, json.dumps(report()), write={"README.md": TEMPLATE_CHANGE})

    assert completed.returncode == 0, completed.stderr
    assert "exists already: https://forge.example/" in one_line(completed.stdout)
    assert api.posts() == []
    assert checkout.remote_branches() == ["main"]


def test_nothing_to_do_says_so_in_one_line(checkout: Checkout, api: Api) -> None:
    up_to_date = report(new_version=None, updated=False, written=False, added=[], changed=[], deleted=[])
    completed = checkout.run(api, json.dumps(up_to_date))

    assert completed.returncode == 0, completed.stderr
    assert one_line(completed.stdout) == "Already at the newest template (v0.1.0): nothing to update."
    assert completed.stderr == ""
    assert api.requests == []
    assert checkout.remote_branches() == ["main"]


def test_failing_gates_print_the_report_and_open_nothing(checkout: Checkout, api: Api) -> None:
    failing = [*GATES[:1], {"name": "mypy", "passed": False, "seconds": 3.0, "detail": "2 errors"}]
    completed = checkout.run(api, json.dumps(report(written=False, gates=failing)), exit_code=1)

    assert completed.returncode == 1
    assert "| mypy | FAIL | 3.0 s | 2 errors |" in completed.stdout
    assert CHANGELOG in completed.stdout
    kind = "pull request" if checkout.forge == "github" else "merge request"
    expected = f"The update to v0.2.0 failed the project's gates: no {kind} opened."
    assert one_line(completed.stderr) == expected
    assert api.requests == []
    assert checkout.remote_branches() == ["main"]


@pytest.mark.parametrize(
    ("stdout", "exit_code", "stderr", "expected"),
    [
        ("", 2, "Error: the project has uncommitted changes\nHint: commit them\n", "uncommitted changes"),
        ("not json", 1, "Error: the template source cannot be reached\n", "cannot be reached"),
        ('{"updated": true}', 0, "", "aiscaffold update printed a report this script cannot read"),
    ],
    ids=["refused", "no-report", "incomplete-report"],
)
def test_an_aiscaffold_failure_is_one_line(
    checkout: Checkout, api: Api, stdout: str, exit_code: int, stderr: str, expected: str
) -> None:
    completed = checkout.run(api, stdout, exit_code=exit_code, stderr=stderr)

    assert completed.returncode == 1
    assert expected in one_line(completed.stderr)
    assert api.requests == []


def test_an_api_error_is_one_line_with_its_message(checkout: Checkout, api: Api) -> None:
    api.post_status = 422
    completed = checkout.run(api, json.dumps(report()), write={"README.md": TEMPLATE_CHANGE})

    assert completed.returncode == 1
    line = one_line(completed.stderr)
    assert "answered 422" in line and "Validation Failed" in line
    assert CREDENTIAL not in completed.stderr + completed.stdout


def test_a_missing_token_stops_before_the_update(checkout: Checkout, api: Api) -> None:
    variable = "GITHUB_TOKEN" if checkout.forge == "github" else "AISCAFFOLD_UPDATE_TOKEN"
    environment = checkout.environment(api)
    del environment[variable]
    completed = subprocess.run(
        [sys.executable, "scripts/template_update.py"],
        cwd=checkout.project,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )

    assert completed.returncode == 1
    assert (
        one_line(completed.stderr) == f"template update: {variable} is not set (see README, Template updates)"
    )
    assert not (checkout.scratch / "seen.json").exists()


def test_a_failed_push_is_one_line_with_gits_reason(checkout: Checkout, api: Api) -> None:
    shutil.rmtree(checkout.origin)
    completed = checkout.run(api, json.dumps(report()), write={"README.md": TEMPLATE_CHANGE})

    assert completed.returncode == 1
    assert one_line(completed.stderr).startswith("template update: git push failed: ")
    assert api.posts() == []
