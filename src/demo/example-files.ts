/**
 * Examples that read data files beside them (`start: { file }`): a copy of such an example
 * pointed at a demo site on another port needs its files copied, and rewritten, too.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { EXAMPLES_DIR, pointAt, readExample, type ExampleSite } from "./examples.ts";

/** The files of `examples/` each example reads, by example name; others read none. */
export const EXAMPLE_DATA_FILES: Readonly<Record<string, readonly string[]>> = {
  "books-wishlist": ["books-wishlist.csv"],
};

/**
 * Writes the example `name` and the data files it reads into `dir`, pointed at `site` as
 * {@link readExample} does; returns the definition's path.
 */
export async function copyExample(name: string, site: ExampleSite, dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  for (const file of EXAMPLE_DATA_FILES[name] ?? []) {
    const text = await readFile(join(EXAMPLES_DIR, file), "utf8");
    await writeFile(join(dir, file), pointAt(text, site));
  }
  const path = join(dir, `${name}.yaml`);
  await writeFile(path, await readExample(name, site));
  return path;
}
