// The whole repository type-checks (engine, site, analyser, CLI, tests): `astro sync` writes the
// content-collection types, then `tsc --noEmit` with the root tsconfig.json must report nothing.
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";

describe("repository", () => {
  it("type-checks with tsc --noEmit", () => {
    execFileSync("npx", ["astro", "sync"], { stdio: "pipe" });
    let out = "";
    try {
      execFileSync("npx", ["tsc", "--noEmit", "-p", "tsconfig.json"], { stdio: "pipe", encoding: "utf8" });
    } catch (e) {
      out = String((e as { stdout?: string }).stdout ?? e);
    }
    expect(out, "tsc errors").toBe("");
  }, 180_000);
});
