#!/usr/bin/env node
// Fails when src/lib/api/schema.gen.ts is not what openapi-typescript makes of docs/api/openapi.yaml,
// i.e. when the backend's API changed and the frontend's types were not regenerated.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const schema = resolve(root, "../docs/api/openapi.yaml");
const committed = resolve(root, "src/lib/api/schema.gen.ts");
const fix = "Run `make api` (or `npm run gen:api` in frontend/) and commit the result.";

if (!existsSync(schema)) {
  console.error(`check:api: ${schema} does not exist. ${fix}`);
  process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), "convonest-api-"));
const fresh = join(dir, "schema.gen.ts");
try {
  const bin = resolve(root, "node_modules/.bin/openapi-typescript");
  const run = spawnSync(bin, [schema, "-o", fresh], { cwd: root, encoding: "utf8" });
  if (run.status !== 0) {
    console.error(run.stdout, run.stderr);
    console.error("check:api: openapi-typescript failed.");
    process.exit(1);
  }
  const same = existsSync(committed) && readFileSync(committed, "utf8") === readFileSync(fresh, "utf8");
  if (!same) {
    console.error(`check:api: src/lib/api/schema.gen.ts is stale: it differs from ../docs/api/openapi.yaml. ${fix}`);
    spawnSync("diff", ["-u", committed, fresh], { stdio: "inherit" });
    process.exit(1);
  }
  console.log("check:api: src/lib/api/schema.gen.ts is up to date.");
} finally {
  rmSync(dir, { recursive: true, force: true });
}
