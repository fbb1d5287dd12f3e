"""Structural mutants of the metric registry: the part of the number-critical code mutmut cannot
reach (``METRICS`` is module-level data; mutmut mutates function bodies only).

Every metric the registry holds when this runs, whatever it is called, gets these mutants:

- ratio: numerator and denominator swapped; each replaced by the other; the factor times 10;
- signed sum: each term's sign flipped; each term dropped;
- sum: per provider, a summed column counted as rows instead, a row filter dropped, the date
  column that places a row in a day replaced by ``date``; the order of the providers reversed;
- every metric with a direction: ``higher`` and ``lower`` swapped.

Each mutant replaces one entry of ``METRICS`` in a forked child, which then runs the unit tests;
the mutant is killed when a test fails. ``make mutate`` runs it after mutmut.

Usage: ``python tests/mutation_registry.py [-j WORKERS] [--tests PATH ...]``
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# The quick, pointed tests first: with -x a killed mutant stops at its first failure.
DEFAULT_TESTS = ("tests/test_kpi_mutants.py", "tests/test_metrics_kpis.py",
                 "tests/test_metrics_core.py")
PYTEST_ARGS = ("-x", "-q", "-p", "no:cacheprovider", "-m", "not kernel and not browser")


@dataclasses.dataclass(frozen=True)
class Mutant:
    metric: str
    change: str
    replacement: object


def registry_mutants(metrics: dict[str, object]) -> Iterator[Mutant]:
    """Every structural mutant of every metric of ``metrics`` (see the module docstring)."""
    from nbreport.metrics.definitions import CombinedMetric, RatioMetric, SummedMetric

    for name, metric in metrics.items():
        if isinstance(metric, RatioMetric):
            yield from _ratio_mutants(metric)
        elif isinstance(metric, CombinedMetric):
            yield from _combined_mutants(metric)
        elif isinstance(metric, SummedMetric):
            yield from _summed_mutants(metric)
        flipped = {"higher": "lower", "lower": "higher"}.get(metric.direction)  # type: ignore[attr-defined]
        if flipped:
            yield Mutant(name, f"direction {metric.direction} -> {flipped}",  # type: ignore[attr-defined]
                         dataclasses.replace(metric, direction=flipped))  # type: ignore[type-var]


def _ratio_mutants(metric) -> Iterator[Mutant]:  # type: ignore[no-untyped-def]
    top, bottom = metric.numerator, metric.denominator
    yield Mutant(metric.name, f"{top}/{bottom} -> {bottom}/{top}",
                 dataclasses.replace(metric, numerator=bottom, denominator=top))
    yield Mutant(metric.name, f"numerator {top} -> {bottom}",
                 dataclasses.replace(metric, numerator=bottom))
    yield Mutant(metric.name, f"denominator {bottom} -> {top}",
                 dataclasses.replace(metric, denominator=top))
    yield Mutant(metric.name, f"factor {metric.factor:g} -> {metric.factor * 10:g}",
                 dataclasses.replace(metric, factor=metric.factor * 10))


def _combined_mutants(metric) -> Iterator[Mutant]:  # type: ignore[no-untyped-def]
    terms = list(metric.terms)
    for i, (weight, part) in enumerate(terms):
        flipped = [*terms[:i], (-weight, part), *terms[i + 1:]]
        yield Mutant(metric.name, f"weight of {part} {weight:g} -> {-weight:g}",
                     dataclasses.replace(metric, terms=tuple(flipped)))
        if len(terms) > 1:
            yield Mutant(metric.name, f"term {part} dropped",
                         dataclasses.replace(metric, terms=tuple(terms[:i] + terms[i + 1:])))


def _summed_mutants(metric) -> Iterator[Mutant]:  # type: ignore[no-untyped-def]
    providers = list(metric.providers)
    for i, provider in enumerate(providers):
        where = f"provider {i + 1} ({provider.kind})"
        changes = []
        if provider.column is not None:
            changes.append((f"{where}: sums {provider.column} -> counts rows",
                            dataclasses.replace(provider, column=None)))
        if provider.where:
            changes.append((f"{where}: filter {provider.where} dropped",
                            dataclasses.replace(provider, where=())))
        if provider.date_column != "date":
            changes.append((f"{where}: date column {provider.date_column} -> date",
                            dataclasses.replace(provider, date_column="date")))
        for change, replaced in changes:
            swapped = tuple([*providers[:i], replaced, *providers[i + 1:]])
            yield Mutant(metric.name, change, dataclasses.replace(metric, providers=swapped))
    if len(providers) > 1:
        yield Mutant(metric.name, "providers in reverse order",
                     dataclasses.replace(metric, providers=tuple(reversed(providers))))


def run_mutant(mutant: Mutant | None, tests: list[str], timeout: float) -> str:
    """``killed``, ``survived`` or ``timeout``: the tests run in a forked child with the mutant
    in the registry (``None``: the registry unchanged, the baseline)."""
    pid = os.fork()
    if pid == 0:  # the child: mutate, test, report through the exit code
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        import pytest

        from nbreport.metrics.definitions import METRICS

        if mutant is not None:
            METRICS[mutant.metric] = mutant.replacement  # type: ignore[assignment]
        os._exit(int(pytest.main([*PYTEST_ARGS, *tests])))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return "survived" if os.waitstatus_to_exitcode(status) == 0 else "killed"
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    return "timeout"


def run_all(mutants: list[Mutant], tests: list[str], workers: int,
            timeout: float) -> dict[Mutant, str]:
    """Run the mutants ``workers`` at a time (each in its own forked process)."""
    results: dict[Mutant, str] = {}
    pending = list(mutants)
    running: dict[int, Mutant] = {}
    while pending or running:
        while pending and len(running) < workers:
            mutant = pending.pop(0)
            child = os.fork()
            if child == 0:
                outcome = run_mutant(mutant, tests, timeout)
                os._exit({"killed": 0, "survived": 1, "timeout": 2}[outcome])
            running[child] = mutant
        child, status = os.wait()
        mutant = running.pop(child)
        results[mutant] = ("killed", "survived", "timeout")[os.waitstatus_to_exitcode(status)]
        print(f"{results[mutant]:>8}  {mutant.metric}: {mutant.change}", flush=True)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-j", "--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--tests", nargs="+", default=list(DEFAULT_TESTS))
    args = parser.parse_args(argv)
    os.chdir(REPO)
    sys.path.insert(0, str(REPO))  # tests.frames and friends, as pytest's rootdir gives them
    import pytest  # noqa: F401  imported once here, inherited by every forked child
    import tests.frames  # noqa: F401

    from nbreport.metrics import daily, kpis  # noqa: F401
    from nbreport.metrics.definitions import METRICS

    started = time.monotonic()
    if run_mutant(None, args.tests, timeout=600) != "survived":
        print("the tests fail without any mutant: fix them first", file=sys.stderr)
        return 2
    baseline = time.monotonic() - started
    mutants = list(registry_mutants(METRICS))
    print(f"{len(mutants)} registry mutants of {len(METRICS)} metrics; "
          f"baseline test run {baseline:.1f} s", flush=True)
    results = run_all(mutants, args.tests, args.workers, timeout=10 * baseline + 10)
    counts = {outcome: sum(1 for r in results.values() if r == outcome)
              for outcome in ("killed", "survived", "timeout")}
    rate = (counts["killed"] + counts["timeout"]) / len(results) if results else 1.0
    print(f"registry mutants: {len(results)} total, {counts['killed']} killed, "
          f"{counts['survived']} survived, {counts['timeout']} timeout; kill rate {rate:.1%} "
          f"({time.monotonic() - started:.0f} s)")
    for mutant, outcome in results.items():
        if outcome == "survived":
            print(f"  survived: {mutant.metric}: {mutant.change}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
