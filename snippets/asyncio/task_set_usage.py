import asyncio

from task_library import BlockingTask, TaskSetManager


class CapacityGroup(BlockingTask):
    def __init__(self, name: str) -> None:
        self.name = name

    async def blocking_start(self) -> None:
        print(f"{self.name}: controlling")
        await asyncio.Event().wait()

    async def shutdown(self) -> None:
        print(f"{self.name}: stopped")


# region load-control
class LoadControl:
    capacity_groups: dict[str, CapacityGroup]
    capacity_group_task_set: TaskSetManager

    async def update_config(self, names: list[str]) -> None:
      self.capacity_groups = {
          name: self.capacity_groups.get(name) or CapacityGroup(name)
          for name in names
      }
      await self.capacity_group_task_set.update_coroutines_deferring_start(
          tasks=list(self.capacity_groups.values())
      )
# endregion


async def main():
    control = LoadControl()
    control.capacity_groups = {}
    control.capacity_group_task_set = TaskSetManager()
    await control.update_config(["hall A", "hall B"])
    await asyncio.sleep(0.01)
    await control.update_config(["hall B", "garage"])
    await asyncio.sleep(0.01)
    await control.capacity_group_task_set.shutdown()


asyncio.run(main())
