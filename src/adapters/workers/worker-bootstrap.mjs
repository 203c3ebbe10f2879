// Plain-JS worker bootstrap: registers tsx's loader in this thread, then loads the TypeScript worker.
import { register } from "tsx/esm/api"

register()
await import("./worker-entry.ts")
