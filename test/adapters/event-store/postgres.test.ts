import { Layer } from "effect"
import { EventStoreSql } from "../../../src/adapters/event-store/sql"
import { migrated } from "../../../src/adapters/sql/migrator"
import { SqlDatabasePostgres } from "../../../src/adapters/sql/postgres"
import { withTempDatabase } from "../../support/postgres"
import { runEventStoreConformance } from "./conformance"
import { runSqlStoreTests } from "./sql-store"

const pg = withTempDatabase()
const database = () => migrated(SqlDatabasePostgres(pg.url()))

runEventStoreConformance("PostgreSQL", () => EventStoreSql.pipe(Layer.provide(database())))
runSqlStoreTests("PostgreSQL", database)
