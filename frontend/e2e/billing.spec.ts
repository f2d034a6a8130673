import { expect, test, type Page } from "@playwright/test";

/**
 * Issue 13's "done when": a new business starts on a trial, hits a limit with a clear message, upgrades
 * through Checkout on localstripe and the limit lifts when Stripe's webhook arrives. `make e2e` starts
 * localstripe with Stripe's hosted Checkout page (sandbox.stripe_hosted), seeds the plans and registers our
 * webhook, as `make dev` does.
 */
const PORT = process.env.E2E_FRONTEND_PORT ?? "3100";
const PUBLIC_ORIGIN = `http://localhost:${PORT}`;

async function invite(page: Page, email: string) {
  const form = page.getByRole("form", { name: "Invite a team member" });
  await form.getByLabel("Email").fill(email);
  await form.getByRole("button", { name: "Send invite" }).click();
  return form;
}

test("a new business on its trial hits the seats limit, upgrades through Checkout, and the limit lifts", async ({ page }) => {
  const stamp = Date.now();
  const slug = `bill-${stamp}`;
  const businessName = `Billing Shop ${stamp}`;
  const tenantOrigin = `http://${slug}.localhost:${PORT}`;

  await test.step("sign up: the business starts on its free trial", async () => {
    await page.goto(`${PUBLIC_ORIGIN}/signup`);
    await page.getByLabel("Business name").fill(businessName);
    await page.getByLabel("Your ConvoNest address").fill(slug);
    await expect(page.getByText("Available")).toBeVisible();
    await page.getByLabel("Work email").fill(`owner-${stamp}@example.com`);
    await page.getByLabel("Password", { exact: true }).fill("e2e-Long-passphrase-4821");
    await page.getByRole("button", { name: "Create business account" }).click();
    await page.waitForURL((url) => url.origin === tenantOrigin && url.pathname === "/welcome");
    await page.getByRole("button", { name: `Continue to ${businessName}` }).click();
    await page.waitForURL(`${tenantOrigin}/dashboard`);

    await page.goto(`${tenantOrigin}/settings/billing`);
    await expect(page.getByTestId("billing-plan-name")).toHaveText("Trial");
    await expect(page.getByTestId("billing-status")).toHaveText("Free trial");
    await expect(page.getByRole("progressbar", { name: "Team seats" })).toHaveAttribute("aria-valuetext", "1 of 3");
  });

  await test.step("the fourth seat is refused with a message naming the limit and the upgrade", async () => {
    await page.goto(`${tenantOrigin}/settings#team`);
    for (const who of ["first", "second"]) {
      const form = await invite(page, `${who}-${stamp}@example.com`);
      await expect(form.getByText(`Invitation sent to ${who}-${stamp}@example.com.`)).toBeVisible();
    }
    const form = await invite(page, `third-${stamp}@example.com`);
    const refusal = form.getByRole("alert");
    await expect(refusal).toContainText("Your Trial plan allows 3 team seats");
    await expect(refusal).toContainText("Upgrade to Starter in Settings → Billing.");
  });

  await test.step("upgrade to Starter through Checkout; the webhook changes the plan", async () => {
    await page.getByRole("navigation", { name: "Settings sections" }).getByRole("link", { name: "Billing" }).click();
    await page.waitForURL(`${tenantOrigin}/settings/billing`);
    await expect(page.getByRole("progressbar", { name: "Team seats" })).toHaveAttribute("aria-valuetext", "3 of 3");
    await page.getByRole("button", { name: "Upgrade to Starter" }).click();
    // Checkout's hosted page (localstripe's stand-in): Stripe's test card, Pay.
    await page.waitForURL(/\/_config\/hosted\/checkout\/cs_test_/);
    await expect(page.getByText("29.00 USD / month")).toBeVisible();
    await page.getByRole("button", { name: "Pay" }).click();
    await page.waitForURL(`${tenantOrigin}/settings/billing?checkout=success`);
    // localstripe sends customer.subscription.created and invoice.payment_succeeded to /webhooks/stripe.
    await expect(page.getByText("Thank you! You're on Starter now.")).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId("billing-plan-name")).toHaveText("Starter");
    await expect(page.getByTestId("billing-status")).toHaveText("Active");
    await expect(page.getByRole("progressbar", { name: "Team seats" })).toHaveAttribute("aria-valuetext", "3 of 5");
  });

  await test.step("the seat that was refused is accepted now", async () => {
    await page.goto(`${tenantOrigin}/settings#team`);
    const form = await invite(page, `third-${stamp}@example.com`);
    await expect(form.getByText(`Invitation sent to third-${stamp}@example.com.`)).toBeVisible();
  });
});
