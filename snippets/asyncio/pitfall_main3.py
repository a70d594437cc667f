import asyncio

from coros import failing_coro, good_coro


# region main3
async def main3():
    failing_task = asyncio.create_task(
      failing_coro())
    await good_coro()
    await failing_task
    print("main3 finished")
# endregion


asyncio.run(main3())
