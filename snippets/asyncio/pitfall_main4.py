import asyncio


# region mytask
class MyTask:
    def start(self) -> None:
        self._task = asyncio.create_task(
          self._main())

    async def _main(self) -> None:
        raise Exception("some exception")

    def shutdown(self) -> None:
        self._task.cancel()
# endregion


# region main4
async def main4():
    task = MyTask()
    task.start()
    await asyncio.sleep(0.1)
    print("main4 finished")
# endregion


asyncio.run(main4())
