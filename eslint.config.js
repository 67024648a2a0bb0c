// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules", "dist", "coverage", "ui/dist", "test-artifacts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
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
    // TypeBox into it. Plain values live in values.ts and schedule-defaults.ts.
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
              ],
              allowTypeImports: true,
              message: "Import types only from schema files; plain values come from values.ts.",
            },
          ],
        },
      ],
    },
  },
);
