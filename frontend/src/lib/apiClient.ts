/**
 * The browser's one HTTP client. It talks to its own origin only ("/api/..."); the Next.js route
 * handler in app/api/[...path] forwards to Django. Auth lives in httpOnly cookies, so this file never
 * sees a token: it only knows that a 401 may mean "access cookie expired, refresh cookie still good".
 */
import axios, { type AxiosError, type AxiosInstance, type CreateAxiosDefaults } from "axios";

declare module "axios" {
  interface AxiosRequestConfig {
    /** Set on the retry after a refresh, so a second 401 is final. */
    _retriedAfterRefresh?: boolean;
  }
}

export const REFRESH_PATH = "/api/auth/token/refresh/";

/** Endpoints whose 401 must not trigger a refresh: they are the auth flow itself. */
const NO_REFRESH_PATHS = new Set([
  REFRESH_PATH,
  "/api/auth/login/",
  "/api/auth/logout/",
  "/api/auth/handoff/",
  "/api/auth/password/reset/",
  "/api/auth/password/reset/confirm/",
  "/api/team/invites/accept/",
]);

/** 401 codes that an expired or missing access token produces (DRF / SimpleJWT via the envelope). */
const REFRESHABLE_CODES = new Set(["not_authenticated", "authentication_failed", "token_not_valid"]);

export type FieldErrors = Record<string, string[]>;

/** Every failed call rejects with this: the server's error envelope, or one made up for it. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fieldErrors: FieldErrors;

  constructor(status: number, code: string, message: string, fieldErrors: FieldErrors = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.fieldErrors = fieldErrors;
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
  403: "You don't have permission to do this.",
  404: "Not found.",
  429: "Too many attempts. Please wait a moment and try again.",
};

/** Turns anything a request can throw into an ApiError. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (axios.isAxiosError(error)) {
    const response = error.response;
    if (!response) {
      return new ApiError(0, "network_error", "Can't reach ConvoNest. Check your connection and try again.");
    }
    const { status, data } = response;
    if (isEnvelope(data)) {
      return new ApiError(status, data.code, data.message, cleanFieldErrors(data.errors));
    }
    // Not our envelope (an HTML error page from something in between, for example).
    const message = FALLBACK_MESSAGES[status] ?? "Something went wrong on our side. Please try again.";
    return new ApiError(status, status >= 500 ? "server_error" : "error", message);
  }
  const message = error instanceof Error ? error.message : "Something went wrong.";
  return new ApiError(0, "unknown_error", message);
}

function pathOf(url: string | undefined): string {
  if (!url) return "";
  const withoutQuery = url.split("?")[0] ?? "";
  // Absolute URLs (a pagination "next" link) compare by path.
  return withoutQuery.replace(/^[a-z]+:\/\/[^/]+/i, "");
}

function shouldRefresh(error: AxiosError): boolean {
  const config = error.config;
  if (!config || config._retriedAfterRefresh) return false;
  if (error.response?.status !== 401) return false;
  if (NO_REFRESH_PATHS.has(pathOf(config.url))) return false;
  const data: unknown = error.response.data;
  // A 401 without our envelope is still worth one refresh: the access cookie may just be gone.
  return !isEnvelope(data) || REFRESHABLE_CODES.has(data.code);
}

export function createApiClient(defaults: CreateAxiosDefaults = {}): AxiosInstance {
  const instance = axios.create({
    baseURL: "",
    withCredentials: true,
    headers: { Accept: "application/json" },
    // Harmless with the JWT cookies (the backend does not ask for it), ready if CSRF is switched on.
    xsrfCookieName: "csrftoken",
    xsrfHeaderName: "X-CSRFToken",
    ...defaults,
  });

  // Several requests can fail with 401 at once (a page loading members and invites): they share one
  // refresh, because the backend rotates refresh tokens and a second refresh with the old one fails.
  let refreshing: Promise<void> | null = null;
  const refreshOnce = (): Promise<void> => {
    refreshing ??= instance
      .post(REFRESH_PATH)
      .then(() => undefined)
      .finally(() => {
        refreshing = null;
      });
    return refreshing;
  };

  instance.interceptors.response.use(undefined, async (error: unknown) => {
    if (axios.isAxiosError(error) && error.config && shouldRefresh(error)) {
      const config = error.config;
      try {
        await refreshOnce();
      } catch {
        // Refresh failed (no or expired refresh cookie): the original 401 is the answer.
        throw toApiError(error);
      }
      config._retriedAfterRefresh = true;
      return instance.request(config);
    }
    throw toApiError(error);
  });

  return instance;
}

export const apiClient = createApiClient();

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
