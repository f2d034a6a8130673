import { expect, test, type Page } from "@playwright/test";

import { customerWrites, logIn, SANDBOX, TENANT, waitForOpenWindow } from "./support";

/**
 * Settings → WhatsApp and the composer against the WhatsApp sandbox. `make e2e` (infra/dev/e2e.py)
 * starts the sandbox (E2E_SANDBOX_URL), a Celery worker, and the demo business with its two numbers.
 */
// A sandbox demo customer; free-form messages need her 24-hour window open in our database too.
const CUSTOMER = "+16505550101";

test.skip(!SANDBOX, "needs the WhatsApp sandbox: run `make e2e`, which sets E2E_SANDBOX_URL");

/** Fill To and the type, let `fill` do the rest, send, and wait until WhatsApp took it. */
async function send(page: Page, type: string, fill: () => Promise<void>) {
  await page.goto(`${TENANT}/messages/new`);
  await page.getByLabel("To", { exact: true }).fill(CUSTOMER);
  await page.getByLabel("Message type").selectOption(type);
  await fill();
  await page.getByRole("button", { name: "Send message" }).click();
  const result = page.getByTestId("send-result");
  await expect(result.getByTestId("send-status")).toContainText(/sent|delivered|read/, { timeout: 30_000 });
  await expect(result.getByTestId("send-wamid")).toHaveText(/^wamid\./);
  return result;
}

test("Settings → WhatsApp shows the numbers' health and connects one more by Embedded Signup", async ({ page }) => {
  await logIn(page, "/settings");
  const numbers = page.getByRole("list", { name: "Connected WhatsApp numbers" });

  await test.step("the demo numbers with quality, tier and throughput", async () => {
    const first = numbers.getByRole("listitem", { name: "+1 555-010-0001" });
    await expect(first).toBeVisible();
    await expect(first.getByText("High quality")).toBeVisible();
    await expect(first.getByText(/msg\/s/)).toBeVisible();
    await expect(numbers.getByRole("listitem")).toHaveCount(2);
  });

  const connected = await test.step("Embedded Signup in a popup, finished by the callback page", async () => {
    const button = page.getByRole("button", { name: "Connect with Facebook (Embedded Signup)" });
    const [popup] = await Promise.all([page.waitForEvent("popup"), button.click()]);
    await popup.waitForURL(/\/_sandbox\/embedded-signup/);
    await popup.locator("input[name=business_name]").fill("E2E Popup Bakery");
    await popup.getByRole("button", { name: "Continue" }).click();
    await popup.waitForURL(/\/settings\/whatsapp\/callback\?code=/);
    await expect(popup.getByText("Connected 1 number to this business.")).toBeVisible();
    // The popup told this page, which lists the new number without a reload.
    await expect(page.getByText("Connected 1 number.")).toBeVisible();
    await expect(numbers.getByRole("listitem")).toHaveCount(3);
    return (await numbers.getByRole("listitem").last().getAttribute("aria-label")) ?? "";
  });

  await test.step("disconnect it again, after confirming", async () => {
    await page.getByRole("button", { name: `Disconnect ${connected}` }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Confirm disconnect" }).click();
    await expect(numbers.getByRole("listitem")).toHaveCount(2);
  });
});

test("the composer sends several message types; they reach the sandbox phone with a wamid", async ({ page, context }) => {
  test.setTimeout(180_000);
  const stamp = Date.now();
  await logIn(page);

  await test.step("Alice writes first: free-form messages go only inside her 24-hour window", async () => {
    await customerWrites(page.request, `e2e hello ${stamp}`);
    await waitForOpenWindow(page);
  });

  const text = await test.step("text with a line break", () =>
    send(page, "text", async () => {
      await page.getByLabel("Message", { exact: true }).fill(`e2e text ${stamp}\nsecond line`);
    }),
  );
  const phoneUrl = await text.getByRole("link", { name: /sandbox phone/ }).getAttribute("href");
  expect(phoneUrl).toBe(`${SANDBOX}/_sandbox/phone/100000000000001/${CUSTOMER.slice(1)}`);

  await test.step("reply buttons", () =>
    send(page, "button", async () => {
      await page.getByLabel("Body", { exact: true }).fill(`e2e buttons ${stamp}`);
      await page.getByLabel("Title", { exact: true }).nth(0).fill("Yes");
      await page.getByLabel("Title", { exact: true }).nth(1).fill("No");
      // The preview puts the buttons under the bubble.
      await expect(page.getByTestId("preview-buttons").getByText("Yes")).toBeVisible();
    }),
  );

  await test.step("an approved template", () =>
    send(page, "template", async () => {
      await page.getByLabel("Template name").fill("hello_world");
      await page.getByLabel("Language").fill("en_US");
    }),
  );

  await test.step("a location", () =>
    send(page, "location", async () => {
      await page.getByLabel("Latitude").fill("37.4847");
      await page.getByLabel("Longitude").fill("-122.1485");
      await page.getByLabel("Name (optional)").fill(`e2e place ${stamp}`);
    }),
  );

  await test.step("the customer's phone in the sandbox shows them", async () => {
    const phone = await context.newPage();
    await phone.goto(phoneUrl ?? "");
    await expect(phone.getByText(`e2e text ${stamp}`)).toBeVisible();
    await expect(phone.getByText(`e2e buttons ${stamp}`)).toBeVisible();
    await phone.close();
  });

  await test.step("Recent messages, then one message's history", async () => {
    await page.goto(`${TENANT}/messages`);
    await expect(page.getByRole("link", { name: "Location" }).first()).toBeVisible();
    await page.getByRole("link", { name: "Location" }).first().click();
    await expect(page.getByTestId("message-events")).toContainText("Queued");
    await expect(page.getByTestId("message-events")).toContainText("Sent");
  });
});

test("a payload WhatsApp would refuse gets a 400 naming the field, shown at the field", async ({ page }) => {
  await logIn(page, "/messages/new");

  await test.step("in the form: the server's error lands under the input", async () => {
    await page.getByLabel("To", { exact: true }).fill(CUSTOMER);
    await page.getByLabel("Message type").selectOption("reaction");
    await page.getByLabel("Message to react to").fill("wamid.E2E");
    await page.getByLabel("Emoji", { exact: true }).fill("abc");
    await page.getByRole("button", { name: "Send message" }).click();
    const emoji = page.getByLabel("Emoji", { exact: true });
    await expect(emoji).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByText(/single emoji/)).toBeVisible();
  });

  await test.step("as JSON: sent as written, the error names the path", async () => {
    await page.getByLabel("Edit JSON").check();
    const payload = {
      type: "interactive",
      interactive: { type: "button", body: { text: "x" }, action: { buttons: [{ type: "reply", reply: { id: "a", title: "x".repeat(21) } }] } },
    };
    await page.getByLabel("Message object (JSON)").fill(JSON.stringify(payload));
    await page.getByRole("button", { name: "Send message" }).click();
    await expect(page.locator("form").getByRole("alert")).toContainText("interactive.action.buttons[0].reply.title");
  });
});
