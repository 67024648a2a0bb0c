import { describe, expect, it } from "vitest";
import { SCHEDULE_DEFAULTS } from "../core/contract/schedule-defaults.ts";
import { BODY_NAMES } from "./field-names.ts";
import { DEFAULT_POLICY, policyFromFlags } from "./schedule-settings.ts";
import { timingFromFlags, type TimingFlags } from "./timing-options.ts";
import { Occurrences } from "./timing.ts";
import { formatDays, parseDays } from "./window.ts";

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const NOW = at("2026-01-01T00:00:00Z");

function occurrences(flags: TimingFlags, from: string, until: string): string[] {
  const timing = timingFromFlags(flags, NOW);
  return new Occurrences(timing).between(at(from), at(until), 10_000).occurrences.map(iso);
}

describe("cron in a zone with daylight saving time (Vixie cron's rules)", () => {
  it("runs a fixed time in the spring-forward gap once, at the first instant after the gap", () => {
    // Europe/Berlin, 2026-03-29: 02:00 local jumps to 03:00; 02:30 does not exist.
    const runs = occurrences(
      { cron: "30 2 * * *", tz: "Europe/Berlin" },
      "2026-03-28T23:00:00Z",
      "2026-03-29T22:00:00Z",
    );
    expect(runs).toEqual(["2026-03-29T01:00:00.000Z"]);
  });

  it("runs a fixed time in the fall-back overlap once, the first time", () => {
    // 2026-10-25: 03:00 CEST falls back to 02:00 CET; 02:30 happens at 00:30Z and at 01:30Z.
    const runs = occurrences(
      { cron: "30 2 * * *", tz: "Europe/Berlin" },
      "2026-10-24T22:00:00Z",
      "2026-10-25T23:00:00Z",
    );
    expect(runs).toEqual(["2026-10-25T00:30:00.000Z"]);
  });

  it("runs a wildcard hour 23 times on the short day and 25 times on the long day", () => {
    const flags = { cron: "0 * * * *", tz: "Europe/Berlin" };
    // Local midnight to local midnight, in UTC, with the end exclusive.
    expect(occurrences(flags, "2026-03-28T22:59:59Z", "2026-03-29T21:59:59Z")).toHaveLength(23);
    expect(occurrences(flags, "2026-10-24T21:59:59Z", "2026-10-25T22:59:59Z")).toHaveLength(25);
  });

  it("never runs daily 09:00 twice on one local date, DST or not", () => {
    const runs = occurrences(
      { daily: "09:00", tz: "America/New_York" },
      "2026-03-01T00:00:00Z",
      "2026-11-30T00:00:00Z",
    );
    const localDates = runs.map((r) =>
      new Date(r).toLocaleDateString("en-CA", { timeZone: "America/New_York" }),
    );
    expect(new Set(localDates).size).toBe(runs.length);
    expect(runs).toContain("2026-03-08T13:00:00.000Z"); // EDT from that day on
    expect(runs).toContain("2026-03-07T14:00:00.000Z"); // EST the day before
  });

  it("ORs day-of-month and day-of-week when both are restricted", () => {
    // The 1st of July 2026 is a Wednesday: it runs on the 1st and on every Monday.
    const runs = occurrences(
      { cron: "0 9 1 * 1", tz: "UTC" },
      "2026-07-01T00:00:00Z",
      "2026-07-20T00:00:00Z",
    );
    expect(runs).toEqual([
      "2026-07-01T09:00:00.000Z",
      "2026-07-06T09:00:00.000Z",
      "2026-07-13T09:00:00.000Z",
    ]);
  });

  it("accepts six fields with seconds first, and L, W and #", () => {
    expect(
      occurrences({ cron: "*/20 * * * * *", tz: "UTC" }, "2026-02-01T00:00:00Z", "2026-02-01T00:01:00Z"),
    ).toHaveLength(3);
    expect(
      occurrences({ cron: "0 0 L * *", tz: "UTC" }, "2026-01-15T00:00:00Z", "2026-03-01T00:00:00Z"),
    ).toEqual(["2026-01-31T00:00:00.000Z", "2026-02-28T00:00:00.000Z"]);
    expect(
      occurrences({ cron: "0 0 15W * *", tz: "UTC" }, "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z"),
    ).toEqual([
      "2026-02-16T00:00:00.000Z", // the 15th is a Sunday: the nearest weekday
    ]);
    expect(
      occurrences({ cron: "0 0 * * 5#2", tz: "UTC" }, "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z"),
    ).toEqual(["2026-01-09T00:00:00.000Z"]);
  });
});

describe("intervals, once, weekly", () => {
  it("measures an interval in elapsed time, across a DST change", () => {
    const timing = timingFromFlags({ every: "90m", tz: "Europe/Berlin" }, at("2026-03-28T23:00:00Z"));
    const runs = new Occurrences(timing).upcoming(at("2026-03-28T23:00:00Z"), 3).map(iso);
    // Aligned to the epoch; 90 minutes apart although Berlin's clock reads 01:00, 03:30, 05:00.
    expect(runs).toEqual([
      "2026-03-29T00:00:00.000Z",
      "2026-03-29T01:30:00.000Z",
      "2026-03-29T03:00:00.000Z",
    ]);
  });

  it("reads --at in the schedule's zone unless it carries an offset", () => {
    const local = timingFromFlags({ at: "2026-11-23T09:00", tz: "Europe/Berlin" }, NOW);
    expect(new Occurrences(local).upcoming(NOW, 5).map(iso)).toEqual(["2026-11-23T08:00:00.000Z"]);
    const absolute = timingFromFlags({ at: "2026-11-23T09:00Z", tz: "Europe/Berlin" }, NOW);
    expect(new Occurrences(absolute).upcoming(NOW, 5).map(iso)).toEqual(["2026-11-23T09:00:00.000Z"]);
  });

  it("runs weekly on the named days at the local time", () => {
    const runs = occurrences(
      { weekly: "mon,thu@09:00", tz: "Asia/Tokyo" },
      "2026-06-01T00:00:00Z",
      "2026-06-08T00:00:00Z",
    );
    // Monday 1 June 09:00 JST is 00:00Z, just outside the range; then Thursday, then Monday.
    expect(runs).toEqual(["2026-06-04T00:00:00.000Z", "2026-06-08T00:00:00.000Z"]);
  });

  it("never fires a manual schedule", () => {
    expect(new Occurrences(timingFromFlags({ manual: true }, NOW)).next(NOW)).toBeNull();
  });
});

describe("active hours and days", () => {
  it("admits 23:00 and 05:59 and refuses 06:00 in a 22:00-06:00 window of another zone", () => {
    // Pacific/Auckland is UTC+13 in January; the machine running the tests is not.
    const timing = timingFromFlags(
      { cron: "* * * * *", tz: "Pacific/Auckland", activeHours: "22:00-06:00" },
      NOW,
    );
    const local = (text: string) => at(`2026-01-1${text}+13:00`);
    const fires = (instant: number) => new Occurrences(timing).next(instant - 60_000) === instant;
    expect(fires(local("5T23:00:00"))).toBe(true);
    expect(fires(local("6T05:59:00"))).toBe(true);
    expect(fires(local("6T06:00:00"))).toBe(false);
    expect(fires(local("6T21:59:00"))).toBe(false);
    expect(fires(local("6T22:00:00"))).toBe(true);
  });

  it("skips occurrences outside the window instead of shifting them", () => {
    const runs = occurrences(
      { every: "4h", tz: "UTC", activeHours: "07:00-22:00", days: "mon-fri" },
      "2026-01-01T00:00:00Z",
      "2026-01-04T00:00:00Z",
    );
    // Anchor at midnight: 08:00, 12:00, 16:00, 20:00 on Thursday 1st and Friday 2nd; nothing at the weekend.
    expect(runs).toEqual([
      "2026-01-01T08:00:00.000Z",
      "2026-01-01T12:00:00.000Z",
      "2026-01-01T16:00:00.000Z",
      "2026-01-01T20:00:00.000Z",
      "2026-01-02T08:00:00.000Z",
      "2026-01-02T12:00:00.000Z",
      "2026-01-02T16:00:00.000Z",
      "2026-01-02T20:00:00.000Z",
    ]);
  });
});

describe("bad timing input", () => {
  const fails = (flags: TimingFlags) => () => timingFromFlags(flags, NOW);

  it("names the field and the reason", () => {
    expect(fails({ cron: "61 * * * *" })).toThrow(/--cron: "61 \* \* \* \*" is invalid/);
    expect(fails({ cron: "* * *" })).toThrow(/--cron/);
    expect(fails({ cron: "0 0 30 2 *" })).toThrow(/--cron: "0 0 30 2 \*" can never fire/);
    expect(fails({ cron: "0 12 * * *", activeHours: "22:00-06:00" })).toThrow(
      /--active-hours: no occurrence/,
    );
    expect(fails({ daily: "09:00", tz: "Mars/Olympus" })).toThrow(/--tz: unknown time zone "Mars\/Olympus"/);
    expect(fails({ daily: "25:00" })).toThrow(/--daily: "25:00" is not a time of day/);
    expect(fails({ every: "soon" })).toThrow(/--every: "soon" is not a duration/);
    expect(fails({ every: "500ms" })).toThrow(/--every: "500ms" is shorter than 1s/);
    expect(fails({ at: "tomorrow" })).toThrow(/--at: "tomorrow" is not a date and time/);
    expect(fails({ at: "2025-01-01T00:00Z" })).toThrow(/--at: 2025-01-01T00:00:00.000Z is in the past/);
    expect(fails({ weekly: "mon,thu" })).toThrow(/--weekly: "mon,thu" is not DAYS@HH:MM/);
    expect(fails({ daily: "09:00", activeHours: "9-17" })).toThrow(/--active-hours: "9-17" is not a window/);
    expect(fails({ daily: "09:00", activeHours: "09:00-09:00" })).toThrow(/empty window/);
    expect(fails({ daily: "09:00", days: "weekdays" })).toThrow(/--days: "weekdays" is not a list of days/);
    expect(fails({})).toThrow(/when should it run/);
    expect(fails({ daily: "09:00", every: "1h" })).toThrow(/choose one of .*--every, --daily/);
  });

  it("names the API's body fields instead of flags when asked, for timing and policies alike", () => {
    const api = (flags: TimingFlags) => () => timingFromFlags(flags, NOW, undefined, BODY_NAMES);
    expect(api({ cron: "61 * * * *" })).toThrow(/^cron: "61 \* \* \* \*" is invalid/);
    expect(api({ daily: "09:00", activeHours: "9-17" })).toThrow(/^activeHours: "9-17" is not a window/);
    expect(api({ daily: "09:00", tz: "Mars/Olympus" })).toThrow(/^tz: unknown time zone/);
    expect(api({ daily: "09:00", every: "1h" })).toThrow(
      /choose one of cron, every, at, daily, weekly, manual/,
    );
    expect(() => policyFromFlags({ grace: "soon" }, BODY_NAMES)).toThrow(/^grace: "soon" is not a duration/);
    expect(() => policyFromFlags({ maxFailures: "0" }, BODY_NAMES)).toThrow(/^maxFailures: "0"/);
    expect(() => policyFromFlags({ maxFailures: "0" })).toThrow(/^--max-failures: "0"/);
  });
});

describe("policy defaults", () => {
  it("are saved as the contract's SCHEDULE_DEFAULTS, which the web app shows", () => {
    expect(DEFAULT_POLICY).toEqual({
      catchUp: SCHEDULE_DEFAULTS.catchUp,
      graceMs: 3_600_000,
      overlap: SCHEDULE_DEFAULTS.overlap,
      maxFailures: SCHEDULE_DEFAULTS.maxFailures,
      retries: SCHEDULE_DEFAULTS.retries,
      jitterMs: 0,
    });
    expect(SCHEDULE_DEFAULTS.grace).toBe("1h");
  });
});

describe("days", () => {
  it("parses names, lists and wrapping ranges, and prints them Monday first", () => {
    expect(parseDays("mon-fri")).toEqual([1, 2, 3, 4, 5]);
    expect(parseDays("fri-mon")).toEqual([0, 1, 5, 6]);
    expect(parseDays("Sunday,wed")).toEqual([0, 3]);
    expect(formatDays([0, 6])).toBe("sat,sun");
    expect(formatDays([1, 2, 3, 4, 5])).toBe("mon-fri");
    expect(formatDays([0, 1, 5, 6])).toBe("mon,fri-sun");
    expect(() => parseDays("monkey")).toThrow(/--days: "monkey"/);
  });
});
