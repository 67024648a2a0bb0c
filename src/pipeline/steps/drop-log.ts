/**
 * The log of the records a filtering step drops: the first few one by one, naming the record and
 * the rule, then only counted, with a summary per rule at the end. A run that drops thousands of
 * records gets a readable log, not thousands of lines.
 */
import type { StepContext } from "../types.ts";
import type { ScrapedRecord } from "../../core/index.ts";

type LogLevel = Parameters<StepContext["log"]>[0];

/** Drops logged one by one per step; the rest are counted per rule. */
export const LOGGED_DROPS = 20;

/** Rules named in the summary line; more are counted as "other rules". */
const SUMMED_RULES = 10;

/** Identifies a record in a log line: its position in the step's input, and its url (or first field). */
export function recordLabel(record: ScrapedRecord, index: number): string {
  const url = record.url;
  if (typeof url === "string" && url !== "") return `record ${index}, url ${url}`;
  for (const [field, value] of Object.entries(record)) {
    if (typeof value === "string" || typeof value === "number") {
      return `record ${index}, ${field} ${JSON.stringify(value).slice(0, 60)}`;
    }
  }
  return `record ${index}`;
}

/** Counts and logs the drops of one step run. */
export class DropLog {
  private count = 0;
  private readonly byRule = new Map<string, number>();

  /**
   * @param step - The step's name, the lines' prefix.
   * @param level - The level of every line (`warn` for invalid records, `info` for duplicates).
   */
  constructor(
    private readonly step: string,
    private readonly level: LogLevel,
    private readonly log: StepContext["log"],
  ) {}

  /** Records one drop: `rule` groups drops in the summary; `detail` may add the offending value. */
  drop(record: ScrapedRecord, index: number, rule: string, detail = rule): void {
    this.count += 1;
    this.byRule.set(rule, (this.byRule.get(rule) ?? 0) + 1);
    if (this.count <= LOGGED_DROPS) {
      this.log(this.level, `${this.step}: dropped a record: ${detail} (${recordLabel(record, index)})`);
    }
  }

  /** Logs the summary when some drops were only counted; returns how many records were dropped. */
  finish(): number {
    if (this.count > LOGGED_DROPS) {
      const rules = [...this.byRule].sort((a, b) => b[1] - a[1]);
      const named = rules.slice(0, SUMMED_RULES).map(([rule, n]) => `${rule} ×${n}`);
      const others = rules.slice(SUMMED_RULES).reduce((sum, [, n]) => sum + n, 0);
      if (others > 0) named.push(`${rules.length - SUMMED_RULES} other rules ×${others}`);
      this.log(
        this.level,
        `${this.step}: dropped ${this.count} records in all, the first ${LOGGED_DROPS} logged one by one; ` +
          `by rule: ${named.join(", ")}`,
      );
    }
    return this.count;
  }
}
