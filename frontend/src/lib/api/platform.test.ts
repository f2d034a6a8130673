import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { ApiError } from "@/lib/apiClient";
import { mockApi, type MockApi } from "@/lib/testing/mockApi";
import { getStaffUser, listFailedJobs, listPlatformBusinesses, staffLogin } from "./platform";

const STAFF = { id: 9, email: "ops@convonest.test", first_name: "", last_name: "" };
const NOT_AUTHENTICATED = { code: "not_authenticated", message: "Authentication credentials were not provided.", errors: {} };

let api: MockApi;

beforeEach(() => {
  api = mockApi();
});

afterEach(() => api.restore());

describe("the platform staff API client", () => {
  it("refreshes an expired staff session at the platform's refresh endpoint, never a business's", async () => {
    api.onGet("/api/platform/auth/user/").replyOnce(401, NOT_AUTHENTICATED).onGet("/api/platform/auth/user/").reply(200, STAFF);
    api.onPost("/api/platform/auth/token/refresh/").reply(200, { access_expiration: "2026-12-06T10:00:00Z" });

    expect(await getStaffUser()).toEqual(STAFF);
    expect(api.history.post.map((r) => r.url)).toEqual(["/api/platform/auth/token/refresh/"]);
  });

  it("does not try a refresh when the login itself is refused", async () => {
    api.onPost("/api/platform/auth/login/").reply(401, NOT_AUTHENTICATED);

    await expect(staffLogin({ email: STAFF.email, password: "x" })).rejects.toBeInstanceOf(ApiError);
    expect(api.history.post.map((r) => r.url)).toEqual(["/api/platform/auth/login/"]);
  });

  it("sends only the filters that are set, with the cursor of a `next` link", async () => {
    api.onGet("/api/platform/businesses/").reply((request) => [200, { next: null, previous: null, results: [], params: request.params }]);
    api.onGet("/api/platform/failed-jobs/").reply((request) => [200, { next: null, previous: null, results: [], params: request.params }]);

    await listPlatformBusinesses({ q: "", reseller: "none", active: "false" }, "http://localhost/api/platform/businesses/?cursor=cD0x&q=");
    await listFailedJobs({ kind: "", state: "dead" });

    expect(api.history.get.map((r) => r.params)).toEqual([{ reseller: "none", active: "false", cursor: "cD0x" }, { state: "dead" }]);
  });
});
