import asyncio

from load_control import LoadControl


# region main
async def main():
    control = LoadControl()
    manager = control.capacity_group_task_set
    running = asyncio.create_task(manager.blocking_start())
    for names in ["hall A", "hall B"], ["hall B", "garage"]:
        await control.update_config(names)
        await asyncio.sleep(0.01)  # the groups run
    await manager.shutdown()
    await running
# endregion


asyncio.run(main())
