import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";

/**
 * Where the executable `name` is: `name` itself when it is a path (with `/` or `\`) that exists,
 * else the first directory of `PATH` (separated by `:`, `;` on Windows) holding it; `undefined`
 * when none does. Existence is all it checks.
 */
export function findExecutable(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (name.includes("/") || name.includes("\\")) return existsSync(name) ? name : undefined;
  return (env.PATH ?? "")
    .split(delimiter)
    .map((dir) => join(dir, name))
    .find((path) => existsSync(path));
}
