import { defineConfig } from "@playwright/test";

/**
 * End-to-end: a real Django and `next start` (built by `npm run e2e`), driven by Debian's Chromium.
 * `make e2e` (infra/dev/e2e.py) prepares a fresh database and sets the variables below; see README.
 */
const FRONTEND_PORT = Number(process.env.E2E_FRONTEND_PORT ?? 3100);
const BACKEND_URL = (process.env.E2E_BACKEND_URL ?? "http://127.0.0.1:8001").replace(/\/+$/, "");
const BACKEND_CMD =
  process.env.E2E_BACKEND_CMD ?? "../.venv/bin/python ../backend/manage.py runserver 127.0.0.1:8001 --noreload";

export default defineConfig({
  testDir: "./e2e",
  outputDir: "./test-results",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    browserName: "chromium",
    // Never `npx playwright install`: browser downloads are blocked here; Debian's chromium is used.
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        // WhatsApp calls (e2e/calls.spec.ts): a fake microphone that needs no prompt, and ICE over loopback to
        // the sandbox's phone peer (Chromium gathers no 127.0.0.1 candidate otherwise).
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        "--allow-loopback-in-peer-connection",
      ],
    },
    viewport: { width: 1280, height: 800 },
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  webServer: [
    {
      // Django. SITE_PORT must be the frontend's port, so the tenant URLs it builds point at Next.js.
      command: BACKEND_CMD,
      url: `${BACKEND_URL}/healthz`,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: "pipe",
      stderr: "pipe",
      env: { SITE_PORT: process.env.SITE_PORT ?? String(FRONTEND_PORT) },
    },
    {
      command: `npx next start -p ${FRONTEND_PORT}`,
      url: `http://127.0.0.1:${FRONTEND_PORT}/healthz`,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: "pipe",
      stderr: "pipe",
      env: { BACKEND_URL, NEXT_TELEMETRY_DISABLED: "1" },
    },
  ],
});
