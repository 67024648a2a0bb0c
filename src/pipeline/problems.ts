/** Turns zod issues into located {@link DefinitionProblem}s. */
import type { z } from "zod";
import type { DefinitionProblem } from "./errors.ts";

/** A zod path segment. */
export type PathSegment = PropertyKey;

/** Finds the source position of a path; `key` asks for the key itself rather than its value. */
export type Locator = (path: readonly PathSegment[], key: boolean) => { line: number; column: number };

/** A locator for sources without positions (objects from TypeScript). */
export const noPositions: Locator = () => ({ line: 0, column: 0 });

function problem(
  file: string,
  locate: Locator,
  path: PathSegment[],
  key: boolean,
  message: string,
): DefinitionProblem {
  return { file, ...locate(path, key), path: path.map(String).join("."), message };
}

/**
 * Replaces each union failure by the issues of the branch whose type matched (`{ css: x,
 * type: money }` fails the object branch of "selector or object": that branch's issue is the
 * useful one, not "Invalid input"). Unions where no branch matched the type stay as they are.
 */
export function flattenUnions(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  return issues.flatMap((issue) => {
    if (issue.code !== "invalid_union" || issue.errors.length === 0) return [issue];
    const matched = issue.errors.filter(
      (branch) => !branch.every((i) => i.code === "invalid_type" && i.path.length === 0),
    );
    if (matched.length !== 1) return [issue];
    return flattenUnions(matched[0]!).map((inner) => ({ ...inner, path: [...issue.path, ...inner.path] }));
  });
}

/**
 * One problem per issue (unions flattened by {@link flattenUnions}); an `unrecognized_keys` issue becomes one problem per key, located at
 * the key and with the key at the end of the path. Custom issues whose message starts with
 * `Unrecognized key` (re-reported by nested schemas) are located at the key too.
 */
export function issuesToProblems(
  issues: readonly z.core.$ZodIssue[],
  file: string,
  locate: Locator,
): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  for (const issue of flattenUnions(issues)) {
    const path = [...issue.path];
    if (issue.code === "unrecognized_keys") {
      // A schema may say what to write instead of a key users mistake (a start entry's body_json).
      const hint = issue.message.startsWith("Unrecognized key") ? "" : `: ${issue.message}`;
      for (const key of issue.keys)
        problems.push(problem(file, locate, [...path, key], true, `Unrecognized key: "${key}"${hint}`));
      continue;
    }
    const atKey =
      issue.message.startsWith("Unrecognized key") || issue.message.startsWith("unknown step kind");
    problems.push(problem(file, locate, path, atKey, issue.message));
  }
  return problems;
}
