import { expect, type APIRequestContext, type Locator, type Page } from "@playwright/test";

/**
 * Shared by the browser tests that use the WhatsApp sandbox. `make e2e` (infra/dev/e2e.py) starts the
 * sandbox (E2E_SANDBOX_URL), a Celery worker, and the demo business with its two numbers.
 */
export const PORT = process.env.E2E_FRONTEND_PORT ?? "3100";
export const SANDBOX = process.env.E2E_SANDBOX_URL;
export const TENANT = `http://${process.env.DEMO_TENANT_SLUG ?? "demo"}.localhost:${PORT}`;
export const EMAIL = process.env.DEMO_EMAIL ?? "owner@demo.localhost";
export const PASSWORD = process.env.DEMO_PASSWORD ?? "convonest-demo";
/** The demo number connected to the demo business, and the sandbox's demo customers Alice and Ben. */
export const DEMO_NUMBER_ID = "100000000000001";
export const ALICE = "16505550101";
export const BEN = "447700900123";

export async function logIn(page: Page, next = "/dashboard") {
  await page.goto(`${TENANT}/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel("Email").fill(EMAIL);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL(`${TENANT}${next}`);
}

/**
 * Gives every webhook the sandbox holds one delivery attempt now, ignoring its backoff. It also runs the
 * sandbox's scheduled jobs early, unless `dueOnly`: a ringing call's timeout is one (calls pass `dueOnly`).
 */
export async function flushWebhooks(request: APIRequestContext, { dueOnly = false } = {}) {
  const answer = await request.post(`${SANDBOX}/_sandbox/webhooks/flush`, { data: dueOnly ? { include_scheduled: false } : {} });
  expect(answer.ok()).toBe(true);
}

/** The customer writes to the business through the sandbox's control API (as the phone page does). */
export async function customerWrites(request: APIRequestContext, body: string, wa = ALICE) {
  const answer = await request.post(`${SANDBOX}/_sandbox/customers/${wa}/messages`, {
    data: { phone_number_id: DEMO_NUMBER_ID, type: "text", text: { body } },
  });
  expect(answer.status()).toBe(201);
}

/**
 * Calls our API from inside the page, so it goes with the page's cookies to its own origin (Node can't
 * resolve `*.localhost` names, so Playwright's `page.request` can't reach the tenant host).
 */
export async function apiFromPage<T>(page: Page, path: string, body?: unknown): Promise<{ status: number; data: T }> {
  return page.evaluate(
    async ([url, payload]) => {
      const init: RequestInit = payload === undefined ? {} : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(payload) };
      const answer = await fetch(url, { ...init, credentials: "same-origin" });
      return { status: answer.status, data: (await answer.json().catch(() => null)) as T };
    },
    [path, body] as const,
  );
}

/**
 * Waits until our database has the customer's conversation with the 24-hour window open (the
 * webhook went sandbox → Django → Celery), flushing the sandbox's webhook outbox while waiting.
 * `page` must be logged in on the business's host.
 */
export async function waitForOpenWindow(page: Page, wa = ALICE) {
  await expect
    .poll(
      async () => {
        await flushWebhooks(page.request);
        const answer = await apiFromPage<{ results: { window_open: boolean }[] }>(page, `/api/conversations/?view=all&q=${wa}`);
        return answer.status === 200 && answer.data.results.some((c) => c.window_open);
      },
      { timeout: 30_000, intervals: [250, 500, 1_000] },
    )
    .toBe(true);
}

/** Waits for `locator`, giving the sandbox's webhook outbox a push now and then (it retries with backoff). */
export async function eventually(locator: Locator, request: APIRequestContext, timeout = 30_000, { dueOnly = false } = {}) {
  await expect(async () => {
    await flushWebhooks(request, { dueOnly });
    await expect(locator).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout });
}

