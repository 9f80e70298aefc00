import { parseArgs } from "node:util";

/** Parses `--name value` options; prints usage and exits on anything unknown. */
export function options<T extends Record<string, { type: "string" | "boolean"; multiple?: boolean }>>(
  spec: T,
  usage: string,
  argv = process.argv.slice(2),
) {
  try {
    return parseArgs({
      args: argv,
      options: { ...spec, help: { type: "boolean" } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    process.exit(2);
  }
}
