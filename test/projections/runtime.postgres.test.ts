import { runtimeSuite } from "./runtime.shared"

runtimeSuite("postgres")
