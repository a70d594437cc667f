import asyncio

from load_control import CapacityGroup
from task_library import TaskSetManager


# region main
class BrokenMeterGroup(CapacityGroup):
    async def blocking_start(self) -> None:
        print(f"{self.name}: controlling")
        raise Exception(f"{self.name}: meter values missing")

async def main():
    manager = TaskSetManager()
    await manager.update_coroutines_deferring_start(
        tasks=[CapacityGroup("hall A"), BrokenMeterGroup("garage")])
    try:
        await manager.blocking_start()
    except Exception as error:
        print(f"picked up: {error!r}")
# endregion


asyncio.run(main())
