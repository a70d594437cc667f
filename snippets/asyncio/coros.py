"""The two coroutines every pitfall below runs."""
import asyncio


# region coros
async def failing_coro():
    print("running failing coro ...")
    raise Exception("some exception")


async def good_coro():
    print("runnning good coro ...")
    await asyncio.sleep(0.1)
    print("good coro finished")
# endregion
