import asyncio
from typing import Sequence

from coros import failing_coro, good_coro


# region main5
# region wait
async def wait_until_first_completed(tasks: Sequence[asyncio.Task]) -> None:
    _, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
# endregion

async def main5():
    await wait_until_first_completed(
        [asyncio.create_task(failing_coro()), asyncio.create_task(good_coro())])
    print("main5 finished")
# endregion


asyncio.run(main5())
