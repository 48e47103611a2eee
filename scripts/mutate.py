"""Mutation testing of the rule modules, each against its domain's unit tests; prints the survivors and the score.

Run by hand, not in CI: `scripts/mutate core/money.py` (tests/README.md has the scores). The mutants are
Cosmic Ray's: every operator it ships (comparisons, arithmetic, boolean and unary operators, numbers +/- 1,
`break`/`continue`, exceptions, removed decorators, loops that run zero times). Cosmic Ray itself writes each
mutant to disk and starts the test command afresh for it, a few seconds a mutant here; this script instead collects
the tests once and forks a child per mutant, which swaps the mutated code into the loaded module (function bodies in
place, everything else rebound in the module and in the test modules) and runs the collected tests with -x. The work
tree is never written to.

A mutant is killed when a test fails or errors, or the tests run past the time limit, and survives when they all
pass. A mutant that only changes a type annotation is left out: with `from __future__ import annotations` it cannot
change behaviour.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import os
import resource
import signal
import sys
import time
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RULE_MODULES = (
    "core/money.py",
    "core/periods.py",
    "core/working_days.py",
    "commissioning/rules.py",
    "finance/rules.py",
    "audit/rules.py",
    "accounts/rules.py",
    "organisations/rules.py",
    "menu/rules.py",
    "notifications/rules.py",
)


@dataclass(frozen=True)
class Mutant:
    operator: str
    occurrence: int
    line: int
    definition: str | None
    code: str


def _without_annotations(source: str) -> str:
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.arg):
            node.annotation = None
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            node.returns = None
        elif isinstance(node, ast.AnnAssign):
            node.annotation = ast.Constant(None)
    return ast.dump(tree)


def mutants_of(path: Path) -> tuple[list[Mutant], int]:
    """Every mutant Cosmic Ray's operators make of the module, and how many were left out: those that only touch
    annotations, and the few that are not Python at all (`*` of keyword-only arguments turned into `+`)."""
    from cosmic_ray import plugins
    from cosmic_ray.ast import ast_nodes, get_ast_from_path
    from cosmic_ray.ast.ast_query import ASTQuery
    from cosmic_ray.mutating import mutate_code

    source = path.read_text(encoding="utf-8")
    lazy_annotations = "from __future__ import annotations" in source
    plain = _without_annotations(source)
    found, left_out = [], 0
    for name in plugins.operator_names():
        operator_class = plugins.get_operator(name)
        if operator_class.arguments():  # operators that need settings are off unless configured, as in Cosmic Ray
            continue
        operator = operator_class()
        nodes = ast_nodes(get_ast_from_path(path))
        positions = [(node, start) for node in nodes for start, _ in operator.mutation_positions(node)]
        for occurrence, (node, start) in enumerate(positions):
            code = mutate_code(source, operator, occurrence)
            if code is None or code == source:
                continue
            try:
                without = _without_annotations(code)
            except SyntaxError:
                left_out += 1
                continue
            if lazy_annotations and without == plain:
                left_out += 1
                continue
            found.append(Mutant(name, occurrence, start[0], ASTQuery(node).get_definition_name(), code))
    return found, left_out


def tests_for(module: str) -> str:
    """The domain's unit tests: finance/rules.py by tests/unit/finance; in core, each module has its own test file
    (core/money.py by tests/unit/core/test_money.py)."""
    domain, name = Path(module).parts[0], Path(module).stem
    if domain == "core":
        return str(Path("tests") / "unit" / "core" / f"test_{name}.py")
    return str(Path("tests") / "unit" / domain)


def _swap_in(module: types.ModuleType, code: str) -> None:
    """Make the loaded module behave as the mutated source, including through names tests imported from it."""
    fresh = types.ModuleType(module.__name__)
    fresh.__file__ = module.__file__
    exec(compile(code, module.__file__ or module.__name__, "exec"), fresh.__dict__)  # noqa: S102 - its own source
    replaced: dict[int, Any] = {}
    for name, new in fresh.__dict__.items():
        old = module.__dict__.get(name, new)
        if name.startswith("__") or old is new:
            continue
        if isinstance(old, types.FunctionType) and isinstance(new, types.FunctionType):
            old.__code__, old.__defaults__, old.__kwdefaults__ = new.__code__, new.__defaults__, new.__kwdefaults__
        else:
            module.__dict__[name] = new
            replaced[id(old)] = new
    for loaded in list(sys.modules.values()):
        if getattr(loaded, "__name__", "").startswith("tests.") and loaded is not module:
            for name, value in list(vars(loaded).items()):
                if id(value) in replaced:
                    setattr(loaded, name, replaced[id(value)])


def _run_items(session: Any, mutant: Mutant | None, module: types.ModuleType) -> None:
    """In a forked child: apply the mutant, run the collected tests until one fails, exit 1 if one did."""
    # A mutant can make numbers explode (`**` for `*`): a memory limit ends it instead of the machine.
    resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3))
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    status = 1
    try:
        if mutant is not None:
            _swap_in(module, mutant.code)
        items = session.items
        for index, item in enumerate(items):
            following = items[index + 1] if index + 1 < len(items) else None
            item.config.hook.pytest_runtest_protocol(item=item, nextitem=following)
            if session.testsfailed:
                break
        status = 1 if session.testsfailed else 0
    finally:
        os._exit(status)


class Mutation:
    """A pytest plugin: instead of the test loop, run the collected tests once per mutant in a forked child."""

    def __init__(self, module: str, jobs: int, limit: int | None) -> None:
        self.path = ROOT / module
        self.module = module
        self.jobs = jobs
        self.limit = limit
        self.lines: list[str] = []
        self.killed = self.total = 0

    def pytest_configure(self, config: Any) -> None:
        from hypothesis import Phase, settings

        # The same examples for every mutant, no example database written into the work tree, and no shrinking of
        # a failing example (nobody reads it, and shrinking took most of the time of a killed mutant).
        phases = [Phase.explicit, Phase.reuse, Phase.generate]
        settings.register_profile("mutate", database=None, derandomize=True, deadline=None, phases=phases)
        settings.load_profile("mutate")

    def _fork(self, session: Any, mutant: Mutant | None) -> int:
        pid = os.fork()
        if pid == 0:
            _run_items(session, mutant, self.loaded)
        return pid

    def pytest_runtestloop(self, session: Any) -> bool:
        from hypothesis import is_hypothesis_test

        # Plain examples first: with -x a killed mutant usually stops there, before the property tests run.
        session.items.sort(key=lambda item: is_hypothesis_test(getattr(item, "obj", None)))
        self.loaded = importlib.import_module(self.module.removesuffix(".py").replace("/", "."))
        if Path(self.loaded.__file__ or "").resolve() != self.path.resolve():
            raise SystemExit(f"{self.module} is imported from {self.loaded.__file__}, not this checkout")
        started = time.monotonic()
        pid = self._fork(session, None)
        _, status = os.waitpid(pid, 0)
        took = time.monotonic() - started
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"{self.module}: its tests fail without any mutant; fix that first")
        timeout = max(10.0, 3 * took)

        mutants, left_out = mutants_of(self.path)
        mutants = mutants[: self.limit]
        original = self.path.read_text(encoding="utf-8")
        running: dict[int, tuple[Mutant, float]] = {}
        try:
            survivors = self._run_all(session, list(mutants), running, timeout)
        finally:  # interrupted: leave no child running
            for pid in running:
                os.kill(pid, signal.SIGKILL)
        timeouts = self.timeouts

        for mutant in sorted(survivors, key=lambda m: (m.line, m.operator, m.occurrence)):
            self.lines.append(
                f"survived  {self.module}:{mutant.line} in {mutant.definition or '(module)'}"
                f"  {mutant.operator.removeprefix('core/')}#{mutant.occurrence}\n"
                f"          {_changed_line(original, mutant.code)}"
            )
        self.total = len(mutants)
        self.killed = self.total - len(survivors)
        score = f"{100 * self.killed / self.total:.1f} %" if self.total else "no mutants"
        self.lines.append(
            f"{self.module}: {self.killed} of {self.total} mutants killed ({score}); {timeouts} of the kills by "
            f"timeout; {left_out} left out (annotation-only or not Python); {len(session.items)} tests; "
            f"{time.monotonic() - started:.0f} s"
        )
        return True

    def _run_all(self, session: Any, queue: list[Mutant], running: dict[int, tuple[Mutant, float]], timeout: float):
        """Keep `jobs` children running; return the mutants that survived."""
        survivors: list[Mutant] = []
        self.timeouts = self.done = 0
        self.total = len(queue)
        while queue or running:
            while queue and len(running) < self.jobs:
                mutant = queue.pop(0)
                running[self._fork(session, mutant)] = (mutant, time.monotonic() + timeout)
            for pid, (mutant, deadline) in list(running.items()):
                done, status = os.waitpid(pid, os.WNOHANG)
                if done:
                    del running[pid]
                    self.done += 1
                    print(f"\r{self.module}: {self.done} of {self.total} mutants run", end="", file=sys.stderr)
                    if os.waitstatus_to_exitcode(status) == 0:
                        survivors.append(mutant)
                elif time.monotonic() > deadline:
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
                    del running[pid]
                    self.timeouts += 1
            time.sleep(0.005)
        return survivors


def _changed_line(original: str, mutated: str) -> str:
    for before, after in zip(original.splitlines(), mutated.splitlines(), strict=False):
        if before != after:
            return f"{before.strip()}  ->  {after.strip()}"
    return "(a line removed)"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("modules", nargs="*", help="rule modules, e.g. core/money.py (default: all of them)")
    parser.add_argument("--tests", help="the tests to run (default: tests/unit/<domain>)")
    parser.add_argument("--jobs", "-j", type=int, default=1, help="mutants run at once (default 1)")
    parser.add_argument("--limit", type=int, help="only the first N mutants (to try the command out)")
    args = parser.parse_args()

    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))  # this checkout, not wherever the virtualenv's editable install points
    import pytest

    killed = total = 0
    for module in args.modules or RULE_MODULES:
        tests = args.tests or tests_for(module)
        if not (ROOT / tests).exists():
            print(f"{module}: no tests in {tests}")
            continue
        plugin = Mutation(module, args.jobs, args.limit)
        # From the second module on, the plugins are already imported: pytest warns that it cannot rewrite them.
        quiet = ["-p", "no:cacheprovider", "-p", "no:terminal", "-W", "ignore::pytest.PytestAssertRewriteWarning"]
        pytest.main([tests, *quiet], plugins=[plugin])
        print("\n".join(plugin.lines), flush=True)
        killed += plugin.killed
        total += plugin.total
    if len(args.modules) != 1 and total:
        print(f"all: {killed} of {total} mutants killed ({100 * killed / total:.1f} %)")


if __name__ == "__main__":
    main()
