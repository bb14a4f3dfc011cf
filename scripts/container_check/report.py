"""The report: one line per check for each project, then a table of times and sizes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass
class Check:
    """One line of the report: ``passed`` None means not applicable (``detail`` says why)."""

    name: str
    passed: bool | None
    detail: str = ""


@dataclass
class Report:
    """Everything measured for one project."""

    project: str
    template: str
    stand_in_seconds: float = 0.0
    build_seconds: float = 0.0
    run_seconds: float = 0.0
    image_bytes: int = 0
    base_bytes: int = 0
    checks: list[Check] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return all(check.passed is not False for check in self.checks)

    def add(self, name: str, passed: bool | None, detail: str = "") -> bool:
        """Record a check; return False only when it failed (so a caller can stop there)."""
        self.checks.append(Check(name, passed, detail))
        return passed is not False


MARKS = {True: "PASS", False: "FAIL", None: "n/a "}


def print_report(reports: Sequence[Report]) -> None:
    """Per project, each check with its result, then times and sizes."""
    for report in reports:
        print(f"\n{report.template}  {report.project}")
        width = max(len(check.name) for check in report.checks)
        for check in report.checks:
            first, *rest = check.detail.strip().splitlines() or [""]
            print(f"  {MARKS[check.passed]}  {check.name:<{width}}  {first}")
            print("".join(f"  {'':<{width + 6}}| {line}\n" for line in rest), end="")
    print(f"\n{'template':<14} {'build':>7} {'run':>6} {'image':>8} {'own':>8}  checks")
    for report in reports:
        image, own = report.image_bytes / 1e6, (report.image_bytes - report.base_bytes) / 1e6
        failed = sum(check.passed is False for check in report.checks)
        verdict = f"{len(report.checks) - failed} passed" + (f", {failed} FAILED" if failed else "")
        print(f"{report.template:<14} {report.build_seconds:>5.0f} s {report.run_seconds:>4.0f} s"
              f" {image:>5.0f} MB {own:>5.0f} MB  {verdict}")  # fmt: skip
    if reports:
        print(f"(own: what the image adds to the {reports[0].base_bytes / 1e6:.0f} MB stand-in base)")
