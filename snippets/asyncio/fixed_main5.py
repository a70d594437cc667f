import asyncio
import concurrent.futures
from typing import Sequence

from coros import failing_coro, good_coro


# region fixed
async def wait_until_first_completed(tasks: Sequence[asyncio.Task]) -> None:
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)

    for future in pending:
        future.cancel()
        try:
            await future # pick up ignored exception
        except (asyncio.CancelledError, concurrent.futures.CancelledError):
            pass

    for future in done:
        await future # pick up exception and propagate
# endregion


# region main5
async def main5():
    await wait_until_first_completed(
        [asyncio.create_task(failing_coro()), asyncio.create_task(good_coro())])
    print("main5 finished")
# endregion


asyncio.run(main5())
