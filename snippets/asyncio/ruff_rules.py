import asyncio
import time


# region code
async def poll(url: str) -> None:
    time.sleep(1)  # blocks the event loop
    with open("status.txt") as status:
        print(url, status.read())


async def main():
    asyncio.create_task(poll("http://localhost"))
    await asyncio.sleep(0)
# endregion
