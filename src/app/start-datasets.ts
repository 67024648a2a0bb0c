/**
 * Start URLs from the datasets of the data directory (`start: { dataset, field }`): the output of
 * one scraper feeds the next. A new run starts from the latest version (the one `current` points
 * to); the engine pins that version in the run so that a resume reads it again, not a newer one.
 */
import { normalizeUrl } from "../fetch/index.ts";
import { DatasetNotFoundError, type DatasetLibrary } from "../datasets/index.ts";
import type { StartDatasetReader } from "../engine/index.ts";
import { appError } from "./errors.ts";

const startDatasetError = (dataset: string, problem: string, details: Record<string, unknown> = {}) =>
  appError("TRAWL_ERR_APP_START_DATASET", `start dataset ${dataset}: ${problem}`, {
    details: { dataset, ...details },
  });

/** The datasets of `datasets` as start URLs. */
export function startDatasetReader(datasets: DatasetLibrary): StartDatasetReader {
  return {
    async latest(dataset, field) {
      const manifest = await datasets.manifest(dataset).catch(async (error: unknown) => {
        if (!(error instanceof DatasetNotFoundError)) throw error;
        const names = (await datasets.list()).map((d) => d.name);
        const there =
          names.length > 0 ? `datasets here: ${names.join(", ")}` : "no dataset is published here yet";
        throw startDatasetError(dataset, `no such dataset in ${datasets.root} (${there})`);
      });
      if (manifest.records > 0 && !manifest.fields.includes(field)) {
        const problem = `version ${manifest.version} has no field "${field}" (its fields: ${manifest.fields.join(", ")})`;
        throw startDatasetError(dataset, problem, { field, fields: manifest.fields });
      }
      return manifest.version;
    },
    async *urls(dataset, version, field) {
      let index = 0;
      for await (const record of datasets.records(dataset, version)) {
        index++;
        const value = record[field];
        if (value === undefined || value === null) continue;
        if (typeof value !== "string" || normalizeUrl(value) === null) {
          const problem = `record ${index} of version ${version}: ${field} is ${JSON.stringify(value)}, not an absolute http(s) URL`;
          throw startDatasetError(dataset, problem, { version, record: index, field, value });
        }
        yield value.trim();
      }
    },
  };
}
