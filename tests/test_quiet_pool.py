"""The runner's pool: the same results as multiprocessing's, without its worker handler
waking for every result message (speechgate/quiet_pool.py)."""

from __future__ import annotations

import multiprocessing
from multiprocessing.pool import Pool

import pytest

from speechgate.quiet_pool import QuietPool

pytestmark = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")
FORK = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None


def _square(x: int) -> int:
    return x * x


def _handler_waits_on_results(pool: Pool) -> bool:
    """Whether the pool's worker handler wakes when a result message arrives (CPython's Pool
    waits on `_get_sentinels()` plus the workers' sentinels)."""
    return pool._outqueue._reader in pool._get_sentinels()  # type: ignore[attr-defined]


def test_the_stock_pool_wakes_its_handler_for_every_result() -> None:
    """What QuietPool changes: if CPython stops doing this, QuietPool is no longer needed."""
    with Pool(2, context=FORK) as pool:
        assert _handler_waits_on_results(pool)


def test_the_quiet_pool_gives_the_same_results_without_waking_per_result() -> None:
    with Pool(2, context=FORK) as pool:
        plain = sorted(pool.imap_unordered(_square, range(300), chunksize=7))
    with QuietPool(2, context=FORK) as pool:
        assert not _handler_waits_on_results(pool)
        quiet = sorted(pool.imap_unordered(_square, range(300), chunksize=7))
        pool.close()
        pool.join()  # the handler still hears the close and the last task done, and ends
    assert quiet == plain == sorted(x * x for x in range(300))


def test_retiring_workers_keep_the_stock_wake_ups() -> None:
    """With `maxtasksperchild` the handler must hear each result to replace retired workers:
    the quiet pool then waits as the stock one does, and every task is done."""
    with QuietPool(2, maxtasksperchild=3, context=FORK) as pool:
        assert _handler_waits_on_results(pool)
        assert sorted(pool.imap_unordered(_square, range(40), chunksize=1)) == [x * x for x in range(40)]
