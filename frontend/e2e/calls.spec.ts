import { expect, test, type APIRequestContext, type Locator, type Page } from "@playwright/test";

import { ALICE, apiFromPage, BEN, DEMO_NUMBER_ID, eventually as eventuallyAll, flushWebhooks, logIn, SANDBOX, TENANT, waitForOpenWindow } from "./support";

/** `eventually`, without running the sandbox's scheduled jobs early (a ringing call's timeout would end it). */
const eventually = (locator: Locator, request: APIRequestContext, timeout = 30_000) => eventuallyAll(locator, request, timeout, { dueOnly: true });

/**
 * WhatsApp calls between Chromium (the agent, a fake microphone) and the sandbox's customer phone, a real
 * aiortc WebRTC peer: audio has to flow both ways over loopback, counted on both ends. `make e2e` runs
 * bootstrap_demo, which turns calling on for the demo number.
 */
test.skip(!SANDBOX, "needs the WhatsApp sandbox: run `make e2e`, which sets E2E_SANDBOX_URL");

interface SandboxCall {
  id: string;
  wa_id: string;
  direction: string;
  status: string;
}

async function newestSandboxCall(request: APIRequestContext, wa: string): Promise<SandboxCall> {
  const answer = await request.get(`${SANDBOX}/_sandbox/calls`);
  const { data } = (await answer.json()) as { data: SandboxCall[] };
  const call = data.find((c) => c.wa_id === wa);
  if (!call) throw new Error(`no sandbox call with ${wa}`);
  return call;
}

/** The sandbox phone's meters for a call: frames of its tone sent, and of our audio heard. */
async function phoneMeters(request: APIRequestContext, callId: string) {
  const answer = await request.get(`${SANDBOX}/_sandbox/calls/${callId}/media`);
  return (await answer.json()) as { state: string; frames_sent: number; frames_received: number };
}

/** A counter on the page that keeps climbing: audio is flowing. */
async function expectClimbing(counter: Locator, above = 25) {
  await expect.poll(async () => Number(await counter.textContent()), { timeout: 20_000 }).toBeGreaterThan(above);
  const before = Number(await counter.textContent());
  await expect.poll(async () => Number(await counter.textContent()), { timeout: 10_000 }).toBeGreaterThan(before);
}

async function expectAudioBothWays(page: Page, phone: Page, callId: string) {
  const dock = page.getByTestId("call-active");
  await expectClimbing(dock.getByTestId("call-sent"));
  await expectClimbing(dock.getByTestId("call-received"));
  await expectClimbing(phone.locator("#call-sent"));
  await expectClimbing(phone.locator("#call-received"));
  const meters = await phoneMeters(page.request, callId);
  expect(meters.state).toBe("connected");
  expect(meters.frames_received).toBeGreaterThan(25);
  expect(meters.frames_sent).toBeGreaterThan(25);
}

async function conversationId(page: Page, wa: string): Promise<number> {
  const answer = await apiFromPage<{ results: { id: number }[] }>(page, `/api/conversations/?view=all&q=${wa}`);
  const id = answer.data.results[0]?.id;
  if (!id) throw new Error(`no conversation with ${wa}`);
  return id;
}

test("a customer calls from the phone page; an agent answers in the inbox; audio flows both ways; the call is logged", async ({ page, context }) => {
  test.setTimeout(150_000);
  await logIn(page, "/inbox");
  await expect(page.getByTestId("live-state")).toHaveText("Live");
  await waitForOpenWindow(page);

  const phone = await context.newPage();
  await phone.goto(`${SANDBOX}/_sandbox/phone/${DEMO_NUMBER_ID}/${ALICE}`);

  await test.step("Alice calls the business; the inbox rings", async () => {
    await phone.locator("#call-button").click();
    await expect(phone.locator("#call-panel")).toBeVisible();
    await expect(phone.locator("#call-status")).toHaveText("ringing");
    await eventually(page.getByTestId("call-incoming"), page.request);
    await expect(page.getByRole("region", { name: `Call from +${ALICE}` })).toBeVisible();
  });

  const call = await newestSandboxCall(page.request, ALICE);
  await test.step("the agent answers: pre-accept and accept with the browser's SDP answer", async () => {
    await page.getByTestId("call-answer").click();
    const dock = page.getByTestId("call-active");
    await expect(dock.getByTestId("call-status")).toHaveText(/^On call · \d+:\d\d$/, { timeout: 20_000 });
    await expect(page.getByTestId("call-incoming")).toHaveCount(0);
    await expect(phone.locator("#call-status")).toHaveText("accepted");
  });

  await test.step("audio flows both ways, counted by the browser and by the phone", async () => {
    await expectAudioBothWays(page, phone, call.id);
  });

  await test.step("the agent hangs up; both ends see the call end", async () => {
    await page.getByTestId("call-hangup").click();
    await expect(page.getByTestId("call-active").getByTestId("call-status")).toHaveText(/^Ended/);
    await expect(phone.locator("#call-status")).toHaveText("ended", { timeout: 10_000 });
    await expect.poll(async () => (await phoneMeters(page.request, call.id)).state).toBe("closed");
  });

  await test.step("the call is in Alice's thread and in the call log", async () => {
    await page.goto(`${TENANT}/inbox?c=${await conversationId(page, ALICE)}`);
    await expect(page.getByTestId("thread-call").last()).toHaveText(/Incoming call · \d+:\d\d/);
    await page.goto(`${TENANT}/calls`);
    const row = page.getByTestId("call-row").first();
    await expect(row).toContainText(`+${ALICE}`);
    await expect(row).toContainText("Incoming");
    await expect(row).toContainText("Answered");
  });
});

test("the agent asks Ben's permission, Ben allows on his phone, the agent calls him, he answers and hangs up", async ({ page, context }) => {
  test.setTimeout(150_000);
  await logIn(page, "/inbox");
  await expect(page.getByTestId("live-state")).toHaveText("Live");
  await waitForOpenWindow(page, BEN);
  await page.goto(`${TENANT}/inbox?c=${await conversationId(page, BEN)}`);
  const panel = page.getByRole("complementary", { name: "Contact and notes" });

  const phone = await context.newPage();
  await phone.goto(`${SANDBOX}/_sandbox/phone/${DEMO_NUMBER_ID}/${BEN}`);

  await test.step("the agent asks for permission; Ben allows it on his phone", async () => {
    await expect(panel.getByTestId("call-permission")).toHaveText("Hasn't allowed calls from this number.");
    await panel.getByRole("button", { name: "Ask permission to call" }).click();
    await expect(panel.getByText("Asked. The customer's answer shows here.")).toBeVisible();
    const allow = phone.locator('[data-cp="accept"]');
    await expect(allow).toBeVisible({ timeout: 20_000 });
    await allow.click();
    await expect(async () => {
      await flushWebhooks(page.request, { dueOnly: true });
      await expect(panel.getByTestId("call-permission")).toHaveText(/^Allows your calls until /, { timeout: 2_000 });
    }).toPass({ timeout: 30_000 });
  });

  await test.step("the agent calls; Ben's phone rings; he answers", async () => {
    await panel.getByTestId("call-place").click();
    await expect(page.getByTestId("call-active")).toBeVisible();
    await expect(phone.locator("#call-answer")).toBeVisible({ timeout: 20_000 });
    await eventually(page.getByTestId("call-active").getByText("Ringing…"), page.request);
    await phone.locator("#call-answer").click();
    await eventually(page.getByTestId("call-active").getByText(/^On call/), page.request);
  });

  const call = await newestSandboxCall(page.request, BEN);
  expect(call.direction).toBe("BUSINESS_INITIATED");
  await test.step("audio flows both ways", async () => {
    await expectAudioBothWays(page, phone, call.id);
  });

  await test.step("Ben hangs up; the inbox sees the call end", async () => {
    await phone.locator("#call-hangup").click();
    await eventually(page.getByTestId("call-active").getByText(/^Ended/), page.request);
    await expect(page.getByTestId("thread-call").last()).toHaveText(/Outgoing call · \d+:\d\d/, { timeout: 20_000 });
  });
});
