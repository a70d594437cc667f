import asyncio
from dataclasses import dataclass

from task_library import BlockingTask


class ModbusTcpServer:
    """Stands in for pymodbus's server (not installable here): serves until cancelled."""

    def __init__(self, context, identity, address) -> None:
        self.address = address

    async def serve_forever(self) -> None:
        print(f"serving Modbus TCP on {self.address[0]}:{self.address[1]}")
        await asyncio.Event().wait()


@dataclass
class Config:
    host: str = "127.0.0.1"
    port: int = 5020


# region server
class ModbusTCPServer(BlockingTask):
    async def blocking_start(self):
        self._server = ModbusTcpServer(
            context=self.context,
            identity=self.identity,
            address=(str(self._config.host), self._config.port),
        )
        await self._server.serve_forever()
# endregion

    def __init__(self) -> None:
        self.context = self.identity = None
        self._config = Config()

    async def shutdown(self) -> None:
        self._task.cancel()


async def main():
    server = ModbusTCPServer()
    server._task = asyncio.create_task(server.blocking_start())
    await asyncio.sleep(0.05)
    await server.shutdown()
    await asyncio.wait([server._task])
    print("server task cancelled:", server._task.cancelled())


asyncio.run(main())
