import js from "@eslint/js"
import tseslint from "typescript-eslint"

export default tseslint.config(
  { ignores: ["node_modules", "dist", "bench/results", ".musktracker", "coverage", "test-output", ".scratch*", "**/*.tmp.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "off",
      "no-constant-condition": ["error", { checkLoops: false }]
    }
  },
  {
    // ../shared/DESIGN.md: the domain is pure. It imports no adapter, projection or program, and no
    // Node module (ids, clocks and I/O come in as arguments or services).
    files: ["src/domain/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["**/adapters/**", "**/projections/**", "**/programs/**"], message: "src/domain is pure: no adapters, projections or programs" },
            { group: ["node:*"], message: "src/domain does no I/O: pass what it needs in as arguments" }
          ]
        }
      ],
      // Domain messages describe values, not the CLI: the command that parsed a flag names it.
      "no-restricted-syntax": [
        "error",
        { selector: "Literal[value=/(^|[\\s(])--[a-z]/]", message: "src/domain does not know CLI flags: word the message by its value; the command adds the flag name" },
        { selector: "TemplateElement[value.raw=/(^|[\\s(])--[a-z]/]", message: "src/domain does not know CLI flags: word the message by its value; the command adds the flag name" }
      ]
    }
  },
  {
    files: ["bench/**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { require: "readonly", process: "readonly" } },
    rules: { "@typescript-eslint/no-require-imports": "off" }
  },
  {
    files: ["bin/**/*.js", "scripts/**/*.mjs"],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } }
  }
)
