"""A small version of the internal task library the talk recommends (ocppproxy's tasks)."""
import asyncio
import contextlib
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
    def __init__(self, coroutine: Coroutine[Any, Any, None], name: str) -> None:
        self._coroutine = coroutine
        self.name = name

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


# region task-set-manager
class TaskSetManager(BlockingTask):
    def __init__(self) -> None:
        self._tasks: dict[BlockingTask, asyncio.Task[None]] = {}
        self._stopped = asyncio.Event()

    async def blocking_start(self, **kwargs) -> None:
        await self._stopped.wait()

    async def shutdown(self) -> None:
        await self.update_coroutines_deferring_start(tasks=[])
        self._stopped.set()

    async def update_coroutines_deferring_start(
      self, tasks: Sequence[BlockingTask]) -> None:
        for task in [task for task in self._tasks if task not in tasks]:
            await task.shutdown()
            running = self._tasks.pop(task)
            running.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await running  # picks up the exception it ended with
        for task in tasks:
            if task not in self._tasks:
                self._tasks[task] = asyncio.create_task(task.blocking_start())
# endregion
