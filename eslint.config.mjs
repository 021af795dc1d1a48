// ESLint owns correctness, Prettier owns formatting (so no stylistic rules here).
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import pulumi from "@pulumi/eslint-plugin";

export default tseslint.config(
  // Generated, vendored or scratch trees (the last four are gitignored: the lab and local Pulumi state).
  { ignores: ["node_modules/**", "scratch/**", "tests/golden/**", "docs/**", ".lab/**", "tmp/**", "bin/**", ".pulumi/**"] },
  { linterOptions: { reportUnusedDisableDirectives: "error" } },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { pulumi },
    rules: {
      // An Output inside a template literal renders as a warning string, not its value: use pulumi.interpolate.
      "pulumi/no-output-in-template-literal": "error",
      "pulumi/no-output-instance-in-template-literal": "error",
      // Unawaited promises lose errors: in a Pulumi program and in tests, that hides failures.
      "@typescript-eslint/no-floating-promises": [
        "error",
        // node:test's test()/before() return promises that the runner itself awaits.
        { allowForKnownSafeCalls: [{ from: "package", package: "node:test", name: ["test", "before", "after", "describe", "it"] }] },
      ],
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // Tests and the mock harness read untyped engine structures on purpose.
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-require-imports": "off",
      "@typescript-eslint/no-non-null-assertion": "off",
    },
  },
);
