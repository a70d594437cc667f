import { benchReloadLatency } from './dev/bench-reload.ts'
console.log(await benchReloadLatency('slides/asyncio.md', 5))
