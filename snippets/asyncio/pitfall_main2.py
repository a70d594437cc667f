import asyncio

from coros import failing_coro, good_coro


# region main2
async def main2():
    await asyncio.gather(
      failing_coro(), good_coro())
    print("main2 finished")
# endregion


asyncio.run(main2())
