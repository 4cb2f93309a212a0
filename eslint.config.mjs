// Flat config: Next's core-web-vitals + typescript-eslint, plus the project's layering rule:
// lib/ is the pure domain and may not import React, Next, next-auth or the app/components layers.
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import tseslint from "typescript-eslint";

const uiImports = [
  { group: ["react", "react-dom", "react/*", "react-dom/*"], message: "lib/ is UI-free: no React." },
  { group: ["next", "next/*", "next-auth", "next-auth/*"], message: "lib/ is framework-free: no Next." },
  { group: ["@/app/*", "@/components/*"], message: "lib/ may not depend on the app or UI layers." },
];

export default tseslint.config(
  { ignores: ["node_modules/**", ".next/**", ".next-*/**", "data/**", "next-env.d.ts", "test-results/**", "playwright-report/**", "e2e-artifacts/**"] },
  ...nextVitals,
  ...nextTs,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["lib/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: uiImports }] },
  },
  {
    // The pure planning/parsing cores may not touch the database either.
    files: ["lib/skeleton/**", "lib/planner/**", "lib/stats/**", "lib/states/**", "lib/model/**", "lib/scheduler/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            ...uiImports,
            { group: ["@prisma/*", "@/lib/db/*", "ssh2"], message: "pure core: no database or network imports." },
          ],
        },
      ],
    },
  },
);
