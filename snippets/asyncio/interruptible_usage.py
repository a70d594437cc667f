import asyncio
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

    async def load_optimizer_loop(self, period: float) -> None:
        for step in range(3):
            print(f"optimizing loads, step {step}")
            await asyncio.sleep(period)
        raise Exception("meter values missing")


# region main
async def main():
    optimizer = InternalLoadOptimizer()
    try:
        await optimizer.blocking_start()
    except Exception as error:
        print(f"picked up: {error!r}")
# endregion


asyncio.run(main())
