/**
 * `npm run schema`: writes schema.sql, the schema a database has after every migration in
 * migrations/, for reading. It applies them to a scratch local D1 database with wrangler (as
 * `npm start` and production do) and writes out what sqlite_master then holds. The file is made
 * read-only: the schema changes by adding a migration, never by editing schema.sql.
 */
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { applyMigrations, querySql, ROOT } from "./lib/dev-server";
import { renderSchema, SCHEMA_QUERY, type SchemaObject } from "./lib/schema-file";

const scratch = await mkdtemp(join(tmpdir(), "edgedesk-schema-"));
try {
  await applyMigrations(scratch);
  const file = join(ROOT, "schema.sql");
  await rm(file, { force: true });
  await writeFile(file, renderSchema(await querySql<SchemaObject>(SCHEMA_QUERY, scratch)));
  await chmod(file, 0o444);
  console.log("schema.sql written from migrations/.");
} finally {
  await rm(scratch, { recursive: true, force: true });
}
