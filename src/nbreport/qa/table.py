"""The gate's verdicts as a plain-text table for the terminal."""

from __future__ import annotations

from nbreport.qa.gate import GateReport

PASS, FAIL = "pass", "FAIL"


def gate_table(report: GateReport, *, failures_only: bool = False) -> str:
    """One line per client (and per shared page), failures explained beneath; with
    ``failures_only`` (after a batch) only what failed, and a one-line verdict."""
    width = max([len(v.client_id) for v in report.clients] + [len(c.name) for c in report.shared]
                + [len("client")])
    lines = [f"QA gate for {report.period}", f"{'client':<{width}}  result  checks",
             f"{'-' * width}  ------  ------"]
    for verdict in report.clients:
        if failures_only and verdict.passed:
            continue
        passed = sum(check.passed for check in verdict.checks)
        lines.append(f"{verdict.client_id:<{width}}  {PASS if verdict.passed else FAIL:<6}  "
                     f"{passed}/{len(verdict.checks)}")
        lines += [f"{'':<{width}}    - {check.name}: {check.detail or 'failed'}" for check in verdict.failures]
    for check in report.shared:
        if failures_only and check.passed:
            continue
        lines.append(f"{check.name:<{width}}  {PASS if check.passed else FAIL:<6}  {check.detail}".rstrip())
    failed = sum(not v.passed for v in report.clients) + sum(not c.passed for c in report.shared)
    if failures_only and not failed:
        return f"QA gate for {report.period}: all {len(report.clients)} reports pass"
    lines.append(f"{len(report.clients)} reports checked, {failed} failing" if failed
                 else f"{len(report.clients)} reports checked, all pass")
    return "\n".join(lines)
