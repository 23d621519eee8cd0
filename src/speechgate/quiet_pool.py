"""A multiprocessing pool whose worker-handler thread sleeps while results stream in.

In: what `multiprocessing.pool.Pool` takes. Out: the same pool, minus a busy loop in the parent.

Why: CPython's Pool (3.8 and later) has its worker-handler thread wait on the result pipe as
well as on the workers' exits and the pool's own notifier. A result message wakes it; it
does not read the message (the result-handler thread does), so it wakes again and again
until that thread gets the GIL and reads it. Over a 10,000-file scan with two workers this
spun about 10,000 times, 0.15 s of the parent's CPU, which the parent takes from the two
cores its workers need. The result pipe only matters for replacing workers that retire
after `maxtasksperchild` tasks; speechgate's never retire (they exit only when the pool
ends, which the notifier announces, or by dying, which their sentinels announce).
"""

from __future__ import annotations

from multiprocessing.pool import Pool
from typing import Any


class QuietPool(Pool):
    """`Pool` for workers that never retire (`maxtasksperchild` None): its worker handler
    waits on worker exits and on the pool's notifier (close, terminate, all tasks done),
    not on every result message."""

    def _get_sentinels(self) -> list[Any]:
        notifier = getattr(self, "_change_notifier", None)
        retiring = getattr(self, "_maxtasksperchild", True) is not None  # unknown: assume they may retire
        if notifier is None or retiring:  # another CPython layout, or retiring workers: the stock wait
            return super()._get_sentinels()  # type: ignore[misc]
        return [notifier._reader]
