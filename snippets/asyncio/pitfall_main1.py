import asyncio

from coros import failing_coro, good_coro


# region main1
async def main1():
    _ = asyncio.create_task(failing_coro())
    await good_coro()
    print("main1 finished")
# endregion


asyncio.run(main1())
