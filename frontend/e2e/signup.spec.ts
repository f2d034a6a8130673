import { expect, test, type Page } from "@playwright/test";

// Chromium resolves every *.localhost name to 127.0.0.1 by itself, so tenant subdomains need no DNS.
const PORT = process.env.E2E_FRONTEND_PORT ?? "3100";
const PUBLIC_ORIGIN = `http://localhost:${PORT}`;

async function logIn(page: Page, email: string, password: string) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
}

test("a new business signs up, lands on its dashboard, logs out and logs in again", async ({ page }) => {
  const stamp = Date.now();
  const slug = `e2e-${stamp}`;
  const businessName = `E2E Shop ${stamp}`;
  const email = `owner-${stamp}@example.com`;
  const password = "e2e-Long-passphrase-4821";
  const tenantOrigin = `http://${slug}.localhost:${PORT}`;

  await test.step("sign up on the public site", async () => {
    await page.goto(`${PUBLIC_ORIGIN}/signup`);
    await page.getByLabel("Business name").fill(businessName);
    // The slug was suggested from the name; replace it with our unique one.
    await page.getByLabel("Your ConvoNest address").fill(slug);
    await expect(page.getByText(`${slug}`, { exact: true })).toBeVisible();
    await expect(page.getByText("Available")).toBeVisible();
    await page.getByLabel("Work email").fill(email);
    await page.getByLabel("Password", { exact: true }).fill(password);
    await page.getByRole("button", { name: "Create business account" }).click();
  });

  await test.step("land signed in on the business's own subdomain", async () => {
    // The sign-in link is only spent on a click that names the business (no login CSRF on page load).
    await page.waitForURL((url) => url.origin === tenantOrigin && url.pathname === "/welcome");
    await page.getByRole("button", { name: `Continue to ${businessName}` }).click();
    await page.waitForURL(`${tenantOrigin}/dashboard`);
    await expect(page.getByRole("heading", { level: 1, name: businessName })).toBeVisible();
  });

  await test.step("log out", async () => {
    await page.getByRole("button", { name: /Account menu/ }).click();
    await page.getByRole("button", { name: "Log out" }).click();
    await page.waitForURL(`${tenantOrigin}/login`);
    // The session is really gone: the dashboard sends us back to the login page.
    await page.goto(`${tenantOrigin}/dashboard`);
    await page.waitForURL(/\/login\?next=%2Fdashboard$/);
  });

  await test.step("a wrong password is refused with a message", async () => {
    await logIn(page, email, "not-the-password-123");
    // Scoped to the form: Next.js has a route announcer with role="alert" of its own.
    const alert = page.locator("form").getByRole("alert");
    await expect(alert).toBeVisible();
    await expect(alert).not.toBeEmpty();
    expect(new URL(page.url()).pathname).toBe("/login");
  });

  await test.step("log in again with the right password", async () => {
    await logIn(page, email, password);
    await page.waitForURL(`${tenantOrigin}/dashboard`);
    await expect(page.getByRole("heading", { level: 1, name: businessName })).toBeVisible();
  });
});
