import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { ApiError, createApiClient, cursorOf, REFRESH_PATH, toRelativeUrl, unwrap, upload } from "./apiClient";
import { mockApi, type MockApi } from "./testing/mockApi";

const USER = { id: 1, email: "owner@acme.test", first_name: "", last_name: "", role: "owner", tenant: { slug: "acme", name: "Acme" } };
const NOT_AUTHENTICATED = { code: "not_authenticated", message: "Authentication credentials were not provided.", errors: {} };

let client: ReturnType<typeof createApiClient>;
let mock: MockApi;

beforeEach(() => {
  mock = mockApi();
  client = createApiClient();
});
afterEach(() => mock.restore());

async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return error as ApiError;
  }
  throw new Error("expected the request to fail");
}

const signup = () => unwrap(client.POST("/api/signup/", { body: {} as never }));
const login = () => unwrap(client.POST("/api/auth/login/", { body: { email: "a@b.test", password: "x" } }));
const currentUser = () => unwrap(client.GET("/api/auth/user/"));
const site = () => unwrap(client.GET("/api/site/"));
const members = () => unwrap(client.GET("/api/team/members/"));
const invites = () => unwrap(client.GET("/api/team/invites/"));

describe("error envelope mapping", () => {
  it("maps {code, message, errors} to an ApiError with field errors", async () => {
    mock.onPost("/api/signup/").reply(400, {
      code: "validation_error",
      message: "Some fields are invalid.",
      errors: { slug: ["This address is already taken."], password: ["Too short.", "Too common."] },
    });

    const error = await rejection(signup());

    expect(error.status).toBe(400);
    expect(error.code).toBe("validation_error");
    expect(error.message).toBe("Some fields are invalid.");
    expect(error.fieldErrors).toEqual({ slug: ["This address is already taken."], password: ["Too short.", "Too common."] });
    expect(error.fieldError("password")).toBe("Too short.");
    expect(error.fieldError("email")).toBeUndefined();
  });

  it("exposes non_field_errors", async () => {
    mock.onPost("/api/auth/login/").reply(400, {
      code: "validation_error",
      message: "Unable to log in with provided credentials.",
      errors: { non_field_errors: ["Unable to log in with provided credentials."] },
    });
    const error = await rejection(login());
    expect(error.nonFieldErrors).toEqual(["Unable to log in with provided credentials."]);
  });

  it("keeps the status and message of a throttled answer", async () => {
    mock.onPost("/api/auth/login/").reply(429, { code: "throttled", message: "Too many failed logins. Try again in 15 minutes.", errors: {} });
    const error = await rejection(login());
    expect([error.status, error.code, error.message]).toEqual([429, "throttled", "Too many failed logins. Try again in 15 minutes."]);
  });

  it.each([
    ["plan_limit", { limit: ["messages_per_month"], usage: ["1000"], maximum: ["1000"], adding: ["1"], upgrade_url: ["/settings/billing"] }],
    ["read_only", { upgrade_url: ["/settings/billing"] }],
  ])("keeps a 402 %s refusal's message whole and its errors as details, not field errors", async (code, errors) => {
    const message = "Your Trial plan allows 1000 messages sent this month; you have 1000 and this adds 1. Upgrade to Starter in Settings → Billing.";
    mock.onPost("/api/auth/login/").reply(402, { code, message, errors });
    const error = await rejection(login());
    expect([error.status, error.code, error.message]).toEqual([402, code, message]);
    expect(error.fieldErrors).toEqual({});
    expect(error.details).toEqual(errors);
  });

  it("says where to look for a 402 without our envelope", async () => {
    mock.onGet("/api/site/").reply(402, "Payment Required");
    expect((await rejection(site())).message).toBe("Your plan doesn't allow this. See Settings → Billing.");
  });

  it("makes up an envelope for a non-JSON server error", async () => {
    mock.onGet("/api/site/").reply(500, "<html>Internal Server Error</html>");
    const error = await rejection(site());
    expect(error.status).toBe(500);
    expect(error.code).toBe("server_error");
    expect(error.fieldErrors).toEqual({});
  });

  it("reports a network failure as status 0", async () => {
    mock.onGet("/api/site/").networkError();
    const error = await rejection(site());
    expect(error.status).toBe(0);
    expect(error.code).toBe("network_error");
  });

  it("returns the typed body of a success, and nothing for a 204", async () => {
    mock.onGet("/api/auth/user/").reply(200, USER);
    mock.onDelete("/api/team/members/2/").reply(204);
    expect(await currentUser()).toEqual(USER);
    expect(await unwrap(client.DELETE("/api/team/members/{member_id}/", { params: { path: { member_id: 2 } } }))).toBeUndefined();
  });

  it("sends path and query parameters and a JSON body", async () => {
    mock.onPatch("/api/team/members/7/").reply((request) => [200, { body: JSON.parse(request.data as string), type: request.headers["content-type"] }]);
    mock.onGet("/api/conversations/").reply((request) => [200, { params: request.params }]);
    const patched = await unwrap(client.PATCH("/api/team/members/{member_id}/", { params: { path: { member_id: 7 } }, body: { role: "agent" } }));
    expect(patched).toEqual({ body: { role: "agent" }, type: "application/json" });
    const listed = await unwrap(client.GET("/api/conversations/", { params: { query: { view: "mine", q: "ravi" } } }));
    expect(listed).toEqual({ params: { view: "mine", q: "ravi" } });
  });
});

describe("refresh on 401", () => {
  it("refreshes once and retries the original request", async () => {
    mock.onGet("/api/auth/user/").replyOnce(401, NOT_AUTHENTICATED).onGet("/api/auth/user/").replyOnce(200, USER);
    mock.onPost(REFRESH_PATH).replyOnce(200, {});

    const user = await currentUser();

    expect(user).toEqual(USER);
    expect(mock.history.post.filter((r) => r.url === REFRESH_PATH)).toHaveLength(1);
    expect(mock.history.get).toHaveLength(2);
  });

  it("retries a request with its body after the refresh", async () => {
    mock.onPatch("/api/team/members/2/").replyOnce(401, NOT_AUTHENTICATED).onPatch("/api/team/members/2/").reply((request) => [200, JSON.parse(request.data as string)]);
    mock.onPost(REFRESH_PATH).reply(200, {});
    const answer = await unwrap(client.PATCH("/api/team/members/{member_id}/", { params: { path: { member_id: 2 } }, body: { role: "admin" } }));
    expect(answer).toEqual({ role: "admin" });
  });

  it("gives up with the original 401 when the refresh fails", async () => {
    mock.onGet("/api/auth/user/").reply(401, NOT_AUTHENTICATED);
    mock.onPost(REFRESH_PATH).reply(401, { code: "authentication_failed", message: "Token is invalid or expired", errors: {} });

    const error = await rejection(currentUser());

    expect(error.status).toBe(401);
    expect(error.code).toBe("not_authenticated");
    expect(mock.history.post).toHaveLength(1);
    expect(mock.history.get).toHaveLength(1);
  });

  it("does not refresh a second time when the retry is refused too", async () => {
    mock.onGet("/api/team/members/").reply(401, NOT_AUTHENTICATED);
    mock.onPost(REFRESH_PATH).reply(200, {});

    const error = await rejection(members());

    expect(error.status).toBe(401);
    expect(mock.history.post).toHaveLength(1);
    expect(mock.history.get).toHaveLength(2);
  });

  it("shares one refresh between requests that fail together", async () => {
    mock.onGet("/api/team/members/").replyOnce(401, NOT_AUTHENTICATED).onGet("/api/team/members/").replyOnce(200, { results: [] });
    mock.onGet("/api/team/invites/").replyOnce(401, NOT_AUTHENTICATED).onGet("/api/team/invites/").replyOnce(200, { results: [] });
    mock.onPost(REFRESH_PATH).reply(200, {});

    await Promise.all([members(), invites()]);

    expect(mock.history.post).toHaveLength(1);
  });

  it("never refreshes for the login endpoint itself", async () => {
    mock.onPost("/api/auth/login/").reply(401, { code: "authentication_failed", message: "No.", errors: {} });
    await rejection(login());
    expect(mock.history.post).toHaveLength(1);
  });

  it("does not refresh for other statuses or codes", async () => {
    mock.onPatch("/api/team/members/2/").reply(403, { code: "permission_denied", message: "Only an owner can make someone an owner.", errors: {} });
    const error = await rejection(client.PATCH("/api/team/members/{member_id}/", { params: { path: { member_id: 2 } }, body: { role: "owner" } }));
    expect(error.code).toBe("permission_denied");
    expect(mock.history.post).toHaveLength(0);
  });
});

describe("upload", () => {
  it("posts the form, reports progress and refreshes on 401 like the client", async () => {
    mock.onPost("/api/contacts/imports/").replyOnce(401, NOT_AUTHENTICATED).onPost("/api/contacts/imports/").reply(202, { id: 3 });
    mock.onPost(REFRESH_PATH).reply(200, {});
    const form = new FormData();
    form.append("on_existing", "skip");
    const seen: number[] = [];

    const job = await upload<{ id: number }>("/api/contacts/imports/", form, (p) => seen.push(p.loaded), client);

    expect(job).toEqual({ id: 3 });
    expect(seen.length).toBeGreaterThan(0);
    expect((mock.history.post.at(-1)!.data as FormData).get("on_existing")).toBe("skip");
  });

  it("rejects with the envelope of a refused upload", async () => {
    mock.onPost("/api/contacts/imports/").reply(400, { code: "validation_error", message: "Bad file.", errors: { file: ["Empty."] } });
    const error = await rejection(upload("/api/contacts/imports/", new FormData(), undefined, client));
    expect(error.fieldError("file")).toBe("Empty.");
  });
});

describe("pagination links", () => {
  it("keeps only path and query of an absolute pagination link", () => {
    expect(toRelativeUrl("http://acme.localhost:3000/api/team/members/?cursor=abc%3D")).toBe("/api/team/members/?cursor=abc%3D");
    expect(toRelativeUrl("/api/team/members/?cursor=x")).toBe("/api/team/members/?cursor=x");
  });

  it("reads the cursor of a link", () => {
    expect(cursorOf("http://acme.localhost:3000/api/team/members/?cursor=abc%3D&page_size=5")).toBe("abc=");
    expect(cursorOf(null)).toBeUndefined();
  });
});
