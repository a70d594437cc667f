"""Capacity groups controlled by a TaskSetManager (the talk's LoadControl, cut down)."""
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

    def __init__(self) -> None:
        self.capacity_groups = {}
        self.capacity_group_task_set = TaskSetManager()
