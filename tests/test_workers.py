"""Forked workers: what a child returns arrives whole; a child that fails or dies sends nothing."""
from __future__ import annotations

import os

from generator.build import BuildError, collect
from generator.workers import fork_worker, result


def test_what_a_worker_returns_arrives_whole() -> None:
    big = {str(n): "x" * 100 for n in range(20_000)}  # more than a pipe holds at once
    sent, status = result(*fork_worker(lambda: (os.getpid(), big)))
    assert status == 0 and sent[1] == big and sent[0] != os.getpid()


def test_a_worker_that_raises_or_dies_sends_nothing() -> None:
    def raises() -> None:
        raise ValueError("boom")

    assert result(*fork_worker(raises)) == (None, 256)
    sent, status = result(*fork_worker(lambda: os._exit(7)))
    assert sent is None and os.waitstatus_to_exitcode(status) == 7


def test_a_rendering_process_that_dies_is_a_problem_with_a_fix() -> None:
    outcome = collect(*fork_worker(lambda: os._exit(9)))
    assert isinstance(outcome, BuildError)
    problem = outcome.problems.sorted()[0]
    assert "stopped unexpectedly" in problem.message and "--jobs 1" in problem.hint
