import MockAdapter from "axios-mock-adapter";
import { beforeEach, describe, expect, it } from "vitest";

import { ApiError, createApiClient, REFRESH_PATH, toRelativeUrl } from "./apiClient";

const USER = { id: 1, email: "owner@acme.test", first_name: "", last_name: "", role: "owner", tenant: { slug: "acme", name: "Acme" } };
const NOT_AUTHENTICATED = { code: "not_authenticated", message: "Authentication credentials were not provided.", errors: {} };

let client: ReturnType<typeof createApiClient>;
let mock: MockAdapter;

beforeEach(() => {
  client = createApiClient();
  mock = new MockAdapter(client);
});

async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return error as ApiError;
  }
  throw new Error("expected the request to fail");
}

describe("error envelope mapping", () => {
  it("maps {code, message, errors} to an ApiError with field errors", async () => {
    mock.onPost("/api/signup/").reply(400, {
      code: "validation_error",
      message: "Some fields are invalid.",
      errors: { slug: ["This address is already taken."], password: ["Too short.", "Too common."] },
    });

    const error = await rejection(client.post("/api/signup/", {}));

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
    const error = await rejection(client.post("/api/auth/login/", {}));
    expect(error.nonFieldErrors).toEqual(["Unable to log in with provided credentials."]);
  });

  it("keeps the status and message of a throttled answer", async () => {
    mock.onPost("/api/auth/login/").reply(429, { code: "throttled", message: "Too many failed logins. Try again in 15 minutes.", errors: {} });
    const error = await rejection(client.post("/api/auth/login/", {}));
    expect([error.status, error.code, error.message]).toEqual([429, "throttled", "Too many failed logins. Try again in 15 minutes."]);
  });

  it("makes up an envelope for a non-JSON server error", async () => {
    mock.onGet("/api/site/").reply(500, "<html>Internal Server Error</html>");
    const error = await rejection(client.get("/api/site/"));
    expect(error.status).toBe(500);
    expect(error.code).toBe("server_error");
    expect(error.fieldErrors).toEqual({});
  });

  it("reports a network failure as status 0", async () => {
    mock.onGet("/api/site/").networkError();
    const error = await rejection(client.get("/api/site/"));
    expect(error.status).toBe(0);
    expect(error.code).toBe("network_error");
  });
});

describe("refresh on 401", () => {
  it("refreshes once and retries the original request", async () => {
    mock.onGet("/api/auth/user/").replyOnce(401, NOT_AUTHENTICATED).onGet("/api/auth/user/").replyOnce(200, USER);
    mock.onPost(REFRESH_PATH).replyOnce(200, {});

    const response = await client.get("/api/auth/user/");

    expect(response.data).toEqual(USER);
    expect(mock.history.post!.filter((r) => r.url === REFRESH_PATH)).toHaveLength(1);
    expect(mock.history.get).toHaveLength(2);
  });

  it("gives up with the original 401 when the refresh fails", async () => {
    mock.onGet("/api/auth/user/").reply(401, NOT_AUTHENTICATED);
    mock.onPost(REFRESH_PATH).reply(401, { code: "authentication_failed", message: "Token is invalid or expired", errors: {} });

    const error = await rejection(client.get("/api/auth/user/"));

    expect(error.status).toBe(401);
    expect(error.code).toBe("not_authenticated");
    expect(mock.history.post).toHaveLength(1);
    expect(mock.history.get).toHaveLength(1);
  });

  it("does not refresh a second time when the retry is refused too", async () => {
    mock.onGet("/api/team/members/").reply(401, NOT_AUTHENTICATED);
    mock.onPost(REFRESH_PATH).reply(200, {});

    const error = await rejection(client.get("/api/team/members/"));

    expect(error.status).toBe(401);
    expect(mock.history.post).toHaveLength(1);
    expect(mock.history.get).toHaveLength(2);
  });

  it("shares one refresh between requests that fail together", async () => {
    mock.onGet("/api/team/members/").replyOnce(401, NOT_AUTHENTICATED).onGet("/api/team/members/").replyOnce(200, { results: [] });
    mock.onGet("/api/team/invites/").replyOnce(401, NOT_AUTHENTICATED).onGet("/api/team/invites/").replyOnce(200, { results: [] });
    mock.onPost(REFRESH_PATH).reply(200, {});

    await Promise.all([client.get("/api/team/members/"), client.get("/api/team/invites/")]);

    expect(mock.history.post).toHaveLength(1);
  });

  it("never refreshes for the login endpoint itself", async () => {
    mock.onPost("/api/auth/login/").reply(401, { code: "authentication_failed", message: "No.", errors: {} });
    await rejection(client.post("/api/auth/login/", {}));
    expect(mock.history.post).toHaveLength(1);
  });

  it("does not refresh for other statuses or codes", async () => {
    mock.onPatch("/api/team/members/2/").reply(403, { code: "permission_denied", message: "Only an owner can make someone an owner.", errors: {} });
    const error = await rejection(client.patch("/api/team/members/2/", { role: "owner" }));
    expect(error.code).toBe("permission_denied");
    expect(mock.history.post).toHaveLength(0);
  });
});

describe("toRelativeUrl", () => {
  it("keeps only path and query of an absolute pagination link", () => {
    expect(toRelativeUrl("http://acme.localhost:3000/api/team/members/?cursor=abc%3D")).toBe("/api/team/members/?cursor=abc%3D");
    expect(toRelativeUrl("/api/team/members/?cursor=x")).toBe("/api/team/members/?cursor=x");
  });
});
