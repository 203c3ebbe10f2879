import { runtimeSuite } from "./runtime.shared"

runtimeSuite("pglite")
