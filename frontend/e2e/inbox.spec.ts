import { expect, test } from "@playwright/test";

import { ALICE, apiFromPage, DEMO_NUMBER_ID, eventually, logIn, SANDBOX, TENANT, waitForOpenWindow } from "./support";

/**
 * The live team inbox against the WhatsApp sandbox: a customer writes on the sandbox's phone page, the
 * message appears in the inbox without a reload (server-sent events), the agent answers, the phone shows
 * the answer and reads it, and the agent sees blue ticks.
 */
test.skip(!SANDBOX, "needs the WhatsApp sandbox: run `make e2e`, which sets E2E_SANDBOX_URL");

test("a customer's message arrives live; the agent answers; the customer reads the answer", async ({ page, context }) => {
  test.setTimeout(120_000);
  const stamp = Date.now();
  const question = `e2e inbound ${stamp}`;
  const answer = `e2e answer ${stamp}`;

  await logIn(page, "/inbox");
  await expect(page.getByTestId("live-state")).toHaveText("Live");
  // The demo customers' first messages (bootstrap_demo) reach Django only once it runs: let them land
  // first, so the thread below holds what this test wrote.
  await waitForOpenWindow(page);

  const phone = await context.newPage();
  await test.step("Alice writes on her phone", async () => {
    await phone.goto(`${SANDBOX}/_sandbox/phone/${DEMO_NUMBER_ID}/${ALICE}`);
    await phone.locator("#text").fill(question);
    await phone.locator("#send").click();
    await expect(phone.locator("#log").getByText(question)).toBeVisible();
  });

  const row = page.getByTestId("conversation-row").filter({ hasText: question });
  await test.step("the inbox shows it without a reload, unread", async () => {
    const navigations: string[] = [];
    page.on("framenavigated", (frame) => frame === page.mainFrame() && navigations.push(frame.url()));
    await eventually(row, page.request);
    await expect(row.getByText(/^\d+ unread$/)).toBeAttached();
    expect(navigations).toEqual([]);
  });

  await test.step("the agent opens it: the thread shows the message and it is marked read", async () => {
    await row.click();
    const thread = page.getByRole("region", { name: /^Conversation with / });
    await expect(thread.getByRole("list", { name: "Messages" }).getByText(question)).toBeVisible();
    await expect(thread.getByTestId("window-state")).toHaveText(/^Window open · closes in/);
    await expect(row.getByText(/^\d+ unread$/)).toHaveCount(0);
    // WhatsApp has her message as read (her phone shows blue ticks): the read went through our worker.
    await expect
      .poll(
        async () => {
          const chat = await page.request.get(`${SANDBOX}/_sandbox/chats/${DEMO_NUMBER_ID}/${ALICE}`);
          const body = (await chat.json()) as { messages: { direction: string; status: string; payload: { text?: { body?: string } } }[] };
          return body.messages.find((m) => m.direction === "in" && m.payload.text?.body === question)?.status;
        },
        { timeout: 30_000, message: "the customer's message is read at WhatsApp" },
      )
      .toBe("read");
    await expect(phone.locator(".row.me").filter({ hasText: question }).locator(".ticks.read")).toBeVisible();
  });

  await test.step("the agent answers; Alice's phone shows it and reads it; the agent sees read ticks", async () => {
    const box = page.getByRole("textbox", { name: "Message" });
    await box.fill(answer);
    await box.press("Enter");
    await expect(box).toHaveValue("");
    const bubble = page.getByTestId("thread-message").filter({ hasText: answer });
    await expect(bubble).toBeVisible();

    // The phone page polls the sandbox every second and marks what it shows as read.
    await expect(phone.locator("#log").getByText(answer)).toBeVisible({ timeout: 30_000 });
    await eventually(bubble.getByRole("img", { name: "Read" }), page.request);
    await expect(page).toHaveURL(new RegExp(`^${TENANT}/inbox\\?c=\\d+$`));
  });
});

test("outside the 24-hour window the reply box offers templates only", async ({ page }) => {
  // Carla (sandbox customer 5511955550123) has never written to the demo business: a template starts it.
  const carla = "5511955550123";
  await logIn(page, "/inbox");
  await expect(page.getByTestId("live-state")).toHaveText("Live");
  const sent = await apiFromPage(page, "/api/messages/", {
    to: `+${carla}`,
    phone_number_id: DEMO_NUMBER_ID,
    type: "template",
    template: { name: "hello_world", language: { code: "en_US" } },
  });
  expect(sent.status).toBe(202);

  const row = page.getByTestId("conversation-row").filter({ hasText: carla });
  await expect(row).toBeVisible({ timeout: 20_000 });
  await row.click();
  await expect(page.getByTestId("window-state")).toHaveText("Window closed — only templates");
  await expect(page.getByText("The 24-hour window is closed.")).toBeVisible();
  await expect(page.getByRole("textbox", { name: "Message" })).toHaveCount(0);

  // An approved template, picked and sent through the mapping dialog (hello_world has no variables).
  const picker = page.getByLabel("Approved template");
  const helloWorld = await picker.locator("option", { hasText: "hello_world · en_US" }).getAttribute("value");
  await picker.selectOption(helloWorld ?? "");
  await page.getByRole("button", { name: "Fill in and send…" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByText("This template has no variables.")).toBeVisible();
  await dialog.getByRole("button", { name: "Send template" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId("thread-message").filter({ hasText: "hello_world" })).toHaveCount(2);
});
