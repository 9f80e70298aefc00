import { env } from "cloudflare:workers";
import schema from "../../schema.sql?raw";

// Apply schema.sql exactly as written (it is idempotent), one statement at a time.
const statements = schema
  .replace(/--.*$/gm, "")
  .split(/;\s*$/m)
  .map((s) => s.trim())
  .filter(Boolean);
await env.DB.batch(statements.map((s) => env.DB.prepare(s)));
