import { countsSuite } from "./counts.shared"

countsSuite("pglite")
