/**
 * The browser's one HTTP client. It talks to its own origin only ("/api/..."); the Next.js route
 * handler in app/api/[...path] forwards to Django. Auth lives in httpOnly cookies, so this file never
 * sees a token: it only knows that a 401 may mean "access cookie expired, refresh cookie still good".
 *
 * `api` is an openapi-fetch client over the generated `paths` (schema.gen.ts), so a path, its
 * parameters and its body are checked by TypeScript. Its fetch throws an ApiError for every failed
 * answer, so `unwrap(api.GET(...))` either returns the typed body or throws.
 */
import createClient, { type Client, type Middleware } from "openapi-fetch";

import type { paths } from "@/lib/api/schema.gen";
import type { ErrorCode, ServerErrorCode } from "@/lib/api/types";

export const REFRESH_PATH = "/api/auth/token/refresh/";
/** The platform staff session's refresh (public host, lib/api/platform.ts): its own cookies, its own endpoint. */
export const PLATFORM_REFRESH_PATH = "/api/platform/auth/token/refresh/";

/** Endpoints whose 401 must not trigger a refresh: they are the auth flow itself. */
const NO_REFRESH_PATHS = new Set([
  REFRESH_PATH,
  "/api/auth/login/",
  "/api/auth/logout/",
  "/api/auth/handoff/",
  "/api/auth/password/reset/",
  "/api/auth/password/reset/confirm/",
  "/api/team/invites/accept/",
  PLATFORM_REFRESH_PATH,
  "/api/platform/auth/login/",
  "/api/platform/auth/logout/",
]);

/** 401 codes that an expired or missing access token produces (DRF / SimpleJWT via the envelope). */
const REFRESHABLE_CODES = new Set(["not_authenticated", "authentication_failed", "token_not_valid"]);

export type FieldErrors = Record<string, string[]>;

/** Every failed call rejects with this: the server's error envelope, or one made up for it. */
export class ApiError extends Error {
  readonly status: number;
  /** One of the registry's codes (backend apps/core/error_codes.py) or a client-side one: compare typed, not free strings. */
  readonly code: ErrorCode;
  readonly fieldErrors: FieldErrors;
  /** The envelope's `errors` of a refusal that is about no field (DETAIL_CODES: the limit, the usage, where to upgrade). */
  readonly details: FieldErrors;

  constructor(status: number, code: ErrorCode, message: string, fieldErrors: FieldErrors = {}, details: FieldErrors = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.fieldErrors = fieldErrors;
    this.details = details;
  }

  /** The first message for a field, to show under its input. */
  fieldError(field: string): string | undefined {
    return this.fieldErrors[field]?.[0];
  }

  /** Errors about the request as a whole (DRF's "non_field_errors"). */
  get nonFieldErrors(): string[] {
    return this.fieldErrors.non_field_errors ?? [];
  }
}

interface Envelope {
  code: string;
  message: string;
  errors?: FieldErrors;
}

function isEnvelope(data: unknown): data is Envelope {
  if (typeof data !== "object" || data === null) return false;
  const record = data as Record<string, unknown>;
  return typeof record.code === "string" && typeof record.message === "string";
}

function cleanFieldErrors(errors: unknown): FieldErrors {
  if (typeof errors !== "object" || errors === null) return {};
  const out: FieldErrors = {};
  for (const [field, messages] of Object.entries(errors as Record<string, unknown>)) {
    const list = Array.isArray(messages) ? messages : [messages];
    out[field] = list.map(String);
  }
  return out;
}

const FALLBACK_MESSAGES: Record<number, string> = {
  400: "The request was not accepted.",
  401: "Please log in.",
  402: "Your plan doesn't allow this. See Settings → Billing.",
  403: "You don't have permission to do this.",
  404: "Not found.",
  429: "Too many attempts. Please wait a moment and try again.",
};

const NETWORK_MESSAGE = "Can't reach ConvoNest. Check your connection and try again.";

/**
 * Codes whose envelope `errors` describe the refusal, not fields of the request: 402 `plan_limit` (limit, usage,
 * maximum, upgrade_url, ...) and `read_only`. Kept as `details`, so every form and composer shows the message
 * (which names the limit and the way to Settings → Billing) instead of reading them as unknown fields.
 */
const DETAIL_CODES: ReadonlySet<string> = new Set<ServerErrorCode>(["plan_limit", "read_only"]);

/** The ApiError for a failed answer: its envelope, or one made up from the status. */
export function apiErrorFromBody(status: number, data: unknown): ApiError {
  if (isEnvelope(data)) {
    // The backend sends only registered codes (apps/core/tests/test_error_codes.py); the schema lists them.
    const errors = cleanFieldErrors(data.errors);
    if (DETAIL_CODES.has(data.code)) return new ApiError(status, data.code as ErrorCode, data.message, {}, errors);
    return new ApiError(status, data.code as ErrorCode, data.message, errors);
  }
  // Not our envelope (an HTML error page from something in between, for example).
  const message = FALLBACK_MESSAGES[status] ?? "Something went wrong on our side. Please try again.";
  return new ApiError(status, status >= 500 ? "server_error" : "error", message);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

async function bodyOf(response: Response): Promise<unknown> {
  try {
    return parseJson(await response.text());
  } catch {
    return null;
  }
}

/** Turns anything a request can throw into an ApiError. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const message = error instanceof Error ? error.message : "Something went wrong.";
  return new ApiError(0, "unknown_error", message);
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === "AbortError";
}

function pathOf(url: string): string {
  try {
    return new URL(url, "http://relative.invalid").pathname;
  } catch {
    return url.split("?")[0] ?? "";
  }
}

/** Django's CSRF cookie, if it is ever switched on (harmless with the JWT cookies, which don't need it). */
function csrfToken(): string | null {
  if (typeof document === "undefined") return null;
  const match = /(?:^|;\s*)csrftoken=([^;]+)/.exec(document.cookie);
  return match ? decodeURIComponent(match[1]!) : null;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS", "TRACE"]);

const csrf: Middleware = {
  onRequest({ request }) {
    const token = SAFE_METHODS.has(request.method) ? null : csrfToken();
    if (token) request.headers.set("X-CSRFToken", token);
    return request;
  },
};

/** Where requests go: this page's origin (fetch needs an absolute URL outside a browser, e.g. in tests). */
function defaultOrigin(): string {
  return typeof window === "undefined" ? "" : window.location.origin;
}

export type Fetch = (request: Request) => Promise<Response>;

export interface ApiClientOptions {
  baseUrl?: string;
  /** The network itself; defaults to the global fetch, looked up per request (so tests can stub it). */
  fetch?: Fetch;
  /** Where an expired access cookie is refreshed: a business's session by default (REFRESH_PATH). */
  refreshPath?: string;
}

/**
 * The transport under the typed client: one fetch with the refresh rule, and every failed answer
 * turned into an ApiError. `send` is also what `upload` uses to refresh before its retry.
 */
export function createTransport(options: ApiClientOptions = {}) {
  const baseUrl = options.baseUrl ?? defaultOrigin();
  const network: Fetch = options.fetch ?? ((request) => globalThis.fetch(request));
  const refreshPath = options.refreshPath ?? REFRESH_PATH;

  const send = async (request: Request): Promise<Response> => {
    try {
      return await network(request);
    } catch (error) {
      if (isAbort(error)) throw error;
      throw new ApiError(0, "network_error", NETWORK_MESSAGE);
    }
  };

  // Several requests can fail with 401 at once (a page loading members and invites): they share one
  // refresh, because the backend rotates refresh tokens and a second refresh with the old one fails.
  let refreshing: Promise<void> | null = null;
  const refreshOnce = (): Promise<void> => {
    refreshing ??= send(
      new Request(baseUrl + refreshPath, { method: "POST", credentials: "same-origin", headers: { Accept: "application/json" } }),
    )
      .then(async (response) => {
        if (!response.ok) throw apiErrorFromBody(response.status, await bodyOf(response));
      })
      .finally(() => {
        refreshing = null;
      });
    return refreshing;
  };

  /** Whether a failed answer is worth one refresh and one retry. */
  const shouldRefresh = async (url: string, status: number, body: () => Promise<unknown>): Promise<boolean> => {
    if (status !== 401 || NO_REFRESH_PATHS.has(pathOf(url))) return false;
    const data = await body();
    // A 401 without our envelope is still worth one refresh: the access cookie may just be gone.
    return !isEnvelope(data) || REFRESHABLE_CODES.has(data.code);
  };

  const fetchWithRefresh: Fetch = async (request) => {
    const retry = request.clone(); // the first send consumes the body
    let response = await send(request);
    if (await shouldRefresh(request.url, response.status, () => bodyOf(response.clone()))) {
      try {
        await refreshOnce();
      } catch {
        // Refresh failed (no or expired refresh cookie): the original 401 is the answer.
        throw apiErrorFromBody(response.status, await bodyOf(response));
      }
      response = await send(retry);
    }
    if (!response.ok) throw apiErrorFromBody(response.status, await bodyOf(response));
    return response;
  };

  return { baseUrl, fetch: fetchWithRefresh, refreshOnce, shouldRefresh };
}

export type ApiClient = Client<paths> & { transport: ReturnType<typeof createTransport> };

export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const transport = createTransport(options);
  const client = createClient<paths>({
    baseUrl: transport.baseUrl,
    fetch: transport.fetch,
    credentials: "same-origin",
    headers: { Accept: "application/json" },
  });
  client.use(csrf);
  return Object.assign(client, { transport });
}

/** The JSON body an operation takes, for the few calls that pass through more than the schema names. */
export type RequestBody<P extends keyof paths, M extends "post" | "put" | "patch"> = paths[P][M] extends {
  requestBody?: { content: { "application/json": infer B } };
}
  ? B
  : never;

/** The typed client every `lib/api/<feature>.ts` module calls. */
export const api = createApiClient();

/**
 * The body of a successful answer. The client's fetch already threw an ApiError for a failed one;
 * this only narrows openapi-fetch's `{data} | {error}` to the data (undefined for a 204).
 */
export async function unwrap<R extends { data?: unknown; error?: unknown; response: Response }>(
  pending: Promise<R>,
): Promise<Exclude<R["data"], undefined>> {
  const result = await pending;
  if (result.error !== undefined || !result.response.ok) {
    throw apiErrorFromBody(result.response.status, result.error);
  }
  return result.data as Exclude<R["data"], undefined>;
}

/**
 * Pagination links are absolute URLs built by Django. Keep only path and query, so the request
 * stays on this origin (and goes through the proxy) whatever host Django put in the link.
 */
export function toRelativeUrl(url: string): string {
  try {
    const parsed = new URL(url, "http://relative.invalid");
    return parsed.pathname + parsed.search;
  } catch {
    return url;
  }
}

/**
 * The `cursor` of a pagination link (`next`/`previous`), to pass back as the typed `cursor` query
 * parameter with the rest of the query it was made with.
 */
export function cursorOf(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url, "http://relative.invalid").searchParams.get("cursor") ?? undefined;
  } catch {
    return undefined;
  }
}

export interface UploadProgress {
  loaded: number;
  total?: number;
}

/**
 * A multipart POST with upload progress, which fetch can't report: XMLHttpRequest, with the same
 * refresh rule and errors as the typed client. `path` is still a typed path of the API.
 */
export async function upload<T>(
  path: keyof paths,
  form: FormData,
  onProgress?: (progress: UploadProgress) => void,
  client: ApiClient = api,
): Promise<T> {
  const { baseUrl, refreshOnce, shouldRefresh } = client.transport;
  const url = baseUrl + path;
  const once = () =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open("POST", url);
      xhr.withCredentials = true;
      xhr.setRequestHeader("Accept", "application/json");
      const token = csrfToken();
      if (token) xhr.setRequestHeader("X-CSRFToken", token);
      if (onProgress) {
        xhr.upload.onprogress = (event) => onProgress({ loaded: event.loaded, total: event.lengthComputable ? event.total : undefined });
      }
      xhr.onload = () => resolve({ status: xhr.status, text: xhr.responseText });
      xhr.onerror = () => reject(new ApiError(0, "network_error", NETWORK_MESSAGE));
      xhr.send(form);
    });
  let answer = await once();
  if (await shouldRefresh(url, answer.status, async () => parseJson(answer.text))) {
    const refused = answer;
    try {
      await refreshOnce();
    } catch {
      throw apiErrorFromBody(refused.status, parseJson(refused.text));
    }
    answer = await once();
  }
  const data = answer.text ? parseJson(answer.text) : undefined;
  if (answer.status < 200 || answer.status >= 300) throw apiErrorFromBody(answer.status, data);
  return data as T;
}
