import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { ApiError } from "@/lib/apiClient";
import { mockApi, type MockApi } from "@/lib/testing/mockApi";
import {
  enterBusiness,
  getPartnerSession,
  listActivity,
  listBusinesses,
  partnerLogin,
  partnerLogout,
  suspendBusiness,
} from "./partners";

let mock: MockApi;
beforeEach(() => {
  mock = mockApi();
});
afterEach(() => mock.restore());

const SESSION = { id: 1, email: "boss@growth.test", reseller: { id: 1, name: "Growth", slug: "growth" }, role: "admin" };

describe("partner console API", () => {
  it("signs in on the console at /api/auth/..., the paths the client's refresh rules know", async () => {
    mock.onPost("/api/auth/login/").reply((request) => [200, { ...SESSION, sent: JSON.parse(request.data as string) }]);
    mock.onGet("/api/auth/user/").reply(200, SESSION);
    mock.onPost("/api/auth/logout/").reply(204);

    const session = (await partnerLogin({ email: "boss@growth.test", password: "pw" })) as unknown as { sent: unknown };
    expect(session.sent).toEqual({ email: "boss@growth.test", password: "pw" });
    expect((await getPartnerSession()).reseller.slug).toBe("growth");
    await expect(partnerLogout()).resolves.toBeUndefined();
    expect(mock.history.post.map((r) => r.url)).toEqual(["/api/auth/login/", "/api/auth/logout/"]);
  });

  it("refreshes an expired console session once and asks again", async () => {
    mock.onGet("/api/auth/user/").replyOnce(401, { code: "not_authenticated", message: "Please log in.", errors: {} });
    mock.onPost("/api/auth/token/refresh/").reply(200, {});
    mock.onGet("/api/auth/user/").reply(200, SESSION);

    expect((await getPartnerSession()).email).toBe("boss@growth.test");
    expect(mock.history.post.map((r) => r.url)).toEqual(["/api/auth/token/refresh/"]);
  });

  it("throws the envelope of a refused login, without a refresh", async () => {
    mock.onPost("/api/auth/login/").reply(400, { code: "invalid_login", message: "The email or password is not correct.", errors: {} });

    const error = await partnerLogin({ email: "x@y.test", password: "nope" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toBe("The email or password is not correct.");
    expect(mock.history.post).toHaveLength(1);
  });

  it("lists businesses with only the filters set, then follows the cursor", async () => {
    mock.onGet("/api/partners/businesses/").reply((request) => [200, { next: "http://partners.x/api/partners/businesses/?cursor=abc&q=bak", results: [], params: request.params }]);

    const first = (await listBusinesses({ q: " bak ", status: "" })) as unknown as { next: string; params: unknown };
    expect(first.params).toEqual({ q: "bak" });
    const second = (await listBusinesses({ q: "bak", status: "suspended" }, first.next)) as unknown as { params: unknown };
    expect(second.params).toEqual({ q: "bak", status: "suspended", cursor: "abc" });
  });

  it("narrows activity to one business", async () => {
    mock.onGet("/api/partners/activity/").reply((request) => [200, { next: null, results: [], params: request.params }]);
    expect(((await listActivity(7)) as unknown as { params: unknown }).params).toEqual({ business: "7" });
    expect(((await listActivity()) as unknown as { params: unknown }).params).toBeUndefined();
  });

  it("suspends with a reason only when one is given, and enters by the returned link", async () => {
    mock.onPost("/api/partners/businesses/7/suspend/").reply((request) => [200, { id: 7, body: JSON.parse(request.data as string) }]);
    mock.onPost("/api/partners/businesses/7/enter/").reply(200, { url: "http://bakery.localhost:3000/welcome?token=t" });

    expect(((await suspendBusiness(7)) as unknown as { body: unknown }).body).toEqual({});
    expect(((await suspendBusiness(7, "unpaid")) as unknown as { body: unknown }).body).toEqual({ reason: "unpaid" });
    expect((await enterBusiness(7)).url).toBe("http://bakery.localhost:3000/welcome?token=t");
  });
});
