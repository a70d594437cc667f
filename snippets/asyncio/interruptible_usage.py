import asyncio
import itertools
import logging

from task_library import InterruptibleTask

logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
GET_DATA_FREQUENCY_IN_SEC = 0.05


# region usage
class InternalLoadOptimizer:

    async def blocking_start(self) -> None:
        self._load_optimizer_loop = InterruptibleTask(
            coroutine=self.load_optimizer_loop(GET_DATA_FREQUENCY_IN_SEC),
            name="InternalLoadOptimizerLoop",
        )
        ...
        await self._load_optimizer_loop.blocking_start()

    async def shutdown(self) -> None:
        if self._load_optimizer_loop is not None:
            await self._load_optimizer_loop.shutdown()
# endregion

    def __init__(self) -> None:
        self._load_optimizer_loop: InterruptibleTask | None = None
        self.schedules: asyncio.Queue[str] = asyncio.Queue()

    async def load_optimizer_loop(self, period: float) -> None:
        # The queue hands each schedule to main before the next step: the output does not
        # depend on timing.
        for step in itertools.count():
            print(f"optimizing loads, step {step}")
            await self.schedules.put(f"schedule {step}")
            await asyncio.sleep(period)


# region main
async def main():
    optimizer = InternalLoadOptimizer()
    running = asyncio.create_task(optimizer.blocking_start())
    for _ in range(2):
        print("main got", await optimizer.schedules.get())
    await optimizer.shutdown()
    await running  # returns: a shutdown is not an error
    print("optimizer stopped cleanly")
# endregion


asyncio.run(main())
