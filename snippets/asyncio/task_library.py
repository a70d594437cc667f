"""A small version of the internal task library the talk recommends (ocppproxy's tasks)."""
import asyncio
import logging
from abc import ABC, abstractmethod
from collections.abc import Coroutine, Sequence
from typing import Any

log = logging.getLogger("tasks")


# region blocking-task
class BlockingTask(ABC):
    @abstractmethod
    async def blocking_start(self) -> None: ...

    @abstractmethod
    async def shutdown(self) -> None: ...
# endregion


# region interruptible
class InterruptibleTask(BlockingTask):
    ...

    async def blocking_start(self) -> None:
        log.info(f"Starting {self.name} task...")
        self._task = asyncio.create_task(self._main())
        try:
            await self._task
        except asyncio.CancelledError:
            pass

    async def shutdown(self) -> None:
        self._task.cancel()

    async def _main(self) -> None:
        await self._coroutine
# endregion

    # The slide shows `...` in place of the constructor.
    def __init__(self, coroutine: Coroutine[Any, Any, None], name: str) -> None:
        self._coroutine = coroutine
        self.name = name


class TaskSetManager(BlockingTask):
    """Runs a set of BlockingTasks that can change while it runs.

    `blocking_start` returns after `shutdown`; the first exception of a managed task ends it: the
    other tasks are shut down and the exception surfaces in whoever awaits `blocking_start`.
    Construct it inside the running event loop.
    """

    def __init__(self) -> None:
        self._tasks: dict[BlockingTask, asyncio.Task[None]] = {}
        self._outcome: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    async def blocking_start(self, **kwargs) -> None:
        try:
            await self._outcome
        finally:
            await self.update_coroutines_deferring_start(tasks=[])

    async def shutdown(self) -> None:
        await self.update_coroutines_deferring_start(tasks=[])
        if not self._outcome.done():
            self._outcome.set_result(None)

    async def update_coroutines_deferring_start(
      self, tasks: Sequence[BlockingTask]) -> None:
        for task in [task for task in self._tasks if task not in tasks]:
            running = self._tasks.pop(task)
            if not running.done():
                await task.shutdown()
                running.cancel()
            # Its exception, if any, was picked up by _picked_up.
            await asyncio.wait([running])
        for task in tasks:
            if task not in self._tasks:
                running = asyncio.create_task(task.blocking_start())
                running.add_done_callback(self._picked_up)
                self._tasks[task] = running

    def _picked_up(self, running: asyncio.Task[None]) -> None:
        if running.cancelled() or (error := running.exception()) is None:
            return
        if not self._outcome.done():
            self._outcome.set_exception(error)
