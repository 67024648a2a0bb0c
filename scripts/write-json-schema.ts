/** Writes `schema/scraper.schema.json` from the zod definition schema (`npm run schema`). */
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { definitionJsonSchemaText } from "../src/pipeline/json-schema.ts";

const target = fileURLToPath(new URL("../schema/scraper.schema.json", import.meta.url));
await writeFile(target, definitionJsonSchemaText());
process.stdout.write(`wrote ${target}\n`);
