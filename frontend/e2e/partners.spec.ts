import { expect, test, type Page } from "@playwright/test";

import { apiFromPage } from "./support";

// Chromium resolves every *.localhost name to 127.0.0.1 by itself: the public site, the partner console
// (partners.localhost, Django's PARTNERS_HOST) and each business's subdomain need no DNS.
const PORT = process.env.E2E_FRONTEND_PORT ?? "3100";
const PUBLIC_ORIGIN = `http://localhost:${PORT}`;
const CONSOLE_ORIGIN = `http://partners.localhost:${PORT}`;

/** Creates a client business from the console and waits for its page. Creating may migrate a schema inline when
 * the warm pool is empty, hence the longer wait. */
async function createBusiness(page: Page, name: string, slug: string, ownerEmail: string) {
  await page.getByRole("link", { name: "New business" }).first().click();
  await page.waitForURL(`${CONSOLE_ORIGIN}/partners/businesses/new`);
  await page.getByLabel("Business name").fill(name);
  await page.getByLabel("Address").fill(slug);
  await page.getByLabel("Owner's email").fill(ownerEmail);
  await page.getByRole("button", { name: "Create business" }).click();
  await page.waitForURL(/\/partners\/businesses\/\d+$/, { timeout: 60_000 });
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
}

test("a reseller signs up, creates two client businesses, funds one's wallet and enters it as its admin", async ({ page }) => {
  test.setTimeout(180_000);
  const stamp = Date.now();
  const company = `E2E Agency ${stamp}`;
  const email = `boss-${stamp}@agency.example`;
  const password = "e2e-Long-passphrase-4821";
  const businesses = [
    { name: `E2E Bakery ${stamp}`, slug: `bakery-${stamp}` },
    { name: `E2E Florist ${stamp}`, slug: `florist-${stamp}` },
  ];

  await test.step("sign up as a reseller on the public site", async () => {
    await page.goto(`${PUBLIC_ORIGIN}/partners/signup`);
    await page.getByLabel("Company name").fill(company);
    await page.getByLabel("Short name").fill(`agency-${stamp}`);
    await page.getByLabel("Work email").fill(email);
    await page.getByLabel("Password", { exact: true }).fill(password);
    await page.getByRole("button", { name: "Create partner account" }).click();
  });

  await test.step("land signed in on the partner console", async () => {
    // The single-use link is spent only on a click (no login CSRF on page load).
    await page.waitForURL((url) => url.origin === CONSOLE_ORIGIN && url.pathname === "/partners/welcome");
    await page.getByRole("button", { name: "Continue to your partner console" }).click();
    await page.waitForURL(`${CONSOLE_ORIGIN}/partners`);
    await expect(page.getByRole("heading", { level: 1, name: "Businesses" })).toBeVisible();
    await expect(page.getByTestId("reseller-name").first()).toHaveText(company);
    await expect(page.getByRole("heading", { name: "Create your first client business" })).toBeVisible();
  });

  await test.step("create two client businesses", async () => {
    for (const [i, business] of businesses.entries()) {
      await createBusiness(page, business.name, business.slug, `owner-${i}-${stamp}@client.example`);
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Businesses" }).click();
      await page.waitForURL(`${CONSOLE_ORIGIN}/partners`);
    }
  });

  await test.step("both are listed with their plan and this month's usage", async () => {
    for (const business of businesses) {
      const row = page.getByRole("row", { name: business.name });
      await expect(row).toBeVisible();
      await expect(row.getByText(`${business.slug}.localhost:${PORT}`)).toBeVisible();
      await expect(row.getByText("Active", { exact: true }).first()).toBeVisible();
      // A new business has sent nothing yet: "0 of <its plan's allowance>" (or "0 · unlimited").
      await expect(row.getByTestId("usage")).toHaveText(/^0 (of [\d,]+|· unlimited)$/);
    }
    await expect(page.getByTestId("business-row")).toHaveCount(2);
  });

  const entered = businesses[0]!;
  const tenantOrigin = `http://${entered.slug}.localhost:${PORT}`;

  await test.step("bill one wholesale and fund its wallet", async () => {
    await page.getByRole("link", { name: entered.name }).click();
    await expect(page.getByRole("heading", { level: 1, name: entered.name })).toBeVisible();
    const offer = page.getByRole("form", { name: "Bill wholesale" });
    await offer.getByLabel("Your markup (%)").fill("25");
    await offer.getByRole("button", { name: "Bill through a wallet" }).click();
    await expect(page.getByTestId("wallet-balance")).toHaveText("$0.00");
    const topUp = page.getByRole("form", { name: "Top up" });
    await topUp.getByLabel("Amount (USD)").fill("25");
    await topUp.getByRole("button", { name: "Add funds" }).click();
    await expect(topUp.getByText("Added $25.00. The balance is $25.00.")).toBeVisible();
    await expect(page.getByTestId("wallet-balance")).toHaveText("$25.00");
    await expect(page.getByRole("table", { name: "Ledger" }).getByText("Top-up")).toBeVisible();
  });

  const brandName = `Agency Cloud ${stamp}`;
  await test.step("dress the console and its businesses in the reseller's brand", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Brand" }).click();
    await page.waitForURL(`${CONSOLE_ORIGIN}/partners/brand`);
    const form = page.getByRole("form", { name: "Brand" });
    await form.getByLabel("Display name").fill(brandName);
    await form.getByRole("textbox", { name: "Primary colour", exact: true }).fill("#7c3aed");
    await form.getByRole("button", { name: "Save brand" }).click();
    await expect(form.getByText(/^Saved\./)).toBeVisible();
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Businesses" }).click();
    await page.getByRole("link", { name: entered.name }).click();
    await expect(page.getByRole("heading", { level: 1, name: entered.name })).toBeVisible();
  });

  await test.step("enter one: land signed in on its own address, as its admin", async () => {
    await page.getByRole("button", { name: `Enter ${entered.name}` }).click();
    // The console's link is a single-use sign-in on the business's host, spent on a click that names it.
    await page.waitForURL((url) => url.origin === tenantOrigin && url.pathname === "/welcome");
    await page.getByRole("button", { name: `Continue to ${entered.name}` }).click();
    await page.waitForURL(`${tenantOrigin}/dashboard`);
    await expect(page.getByRole("heading", { level: 1, name: entered.name })).toBeVisible();
    const me = await apiFromPage<{ email: string; role: string }>(page, "/api/auth/user/");
    expect(me.status).toBe(200);
    expect(me.data).toMatchObject({ email, role: "admin" });
  });

  await test.step("inside, the app wears the reseller's brand", async () => {
    await expect(page.getByText(brandName).first()).toBeVisible();
    await expect(page.locator("style#brand-palette")).toHaveCount(1);
    expect(await page.title()).toContain(brandName);
  });

  await test.step("inside, Billing shows the prepaid balance the reseller funds", async () => {
    await page.goto(`${tenantOrigin}/settings/billing`);
    await expect(page.getByTestId("wallet-balance")).toHaveText("$25.00");
    await expect(page.getByText(`${company} bills this business`)).toBeVisible();
  });

  await test.step("inside, the business's audit log names the reseller's staff who came in", async () => {
    await page.goto(`${tenantOrigin}/settings/audit`);
    const entry = page.getByRole("row").filter({ hasText: "Reseller staff entered the business" });
    await expect(entry).toHaveCount(1);
    await expect(entry.getByRole("button", { name: email }).first()).toBeVisible();
    await expect(entry.getByText("Reseller staff", { exact: true })).toBeVisible();
  });

  await test.step("the console's activity log shows what happened", async () => {
    await page.goto(`${CONSOLE_ORIGIN}/partners/activity`);
    await expect(page.getByTestId("activity-row").filter({ hasText: "Business entered" })).toHaveCount(1);
    await expect(page.getByTestId("activity-row").filter({ hasText: "Business created" })).toHaveCount(2);
    await expect(page.getByTestId("activity-row").filter({ hasText: "Wallet funded" })).toHaveCount(1);
  });
});
