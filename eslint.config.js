// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules", "dist", "coverage", "ui/dist", "test-artifacts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Tool configuration in CommonJS (.dependency-cruiser.cjs).
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { module: "writable", require: "readonly" } },
  },
  {
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-restricted-syntax": [
        "error",
        {
          selector: "CallExpression[callee.object.name=/^(it|test|describe)$/][callee.property.name='only']",
          message: "No focused tests.",
        },
      ],
    },
  },
  {
    // The app takes the server's shapes as types; a value import of a schema file would bundle
    // TypeBox into it. Plain values live in values.ts, schedule-defaults.ts and audit-actions.ts.
    files: ["ui/src/**/*.{ts,tsx}"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: [
                "**/src/core/contract/*",
                "!**/src/core/contract/values.ts",
                "!**/src/core/contract/schedule-defaults.ts",
                "!**/src/core/contract/audit-actions.ts",
              ],
              allowTypeImports: true,
              message: "Import types only from schema files; plain values come from values.ts.",
            },
          ],
        },
      ],
    },
  },
  {
    // Issue 13's size limits, counted as `wc -l` counts (blank lines and comments included):
    // a file of more than 400 lines or a function of more than 80 has more than one job.
    files: ["src/**/*.ts", "ui/src/**/*.{ts,tsx}"],
    ignores: ["**/*.test.ts", "**/*.test.tsx"],
    rules: {
      "max-lines": ["error", { max: 400, skipBlankLines: false, skipComments: false }],
      "max-lines-per-function": [
        "error",
        { max: 80, skipBlankLines: false, skipComments: false, IIFEs: true },
      ],
    },
  },
);
