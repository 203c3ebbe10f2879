import { countsSuite } from "./counts.shared"

countsSuite("postgres")
