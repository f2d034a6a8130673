import { api, unwrap } from "@/lib/apiClient";
import type { Login, PasswordChange, PasswordReset, PasswordResetConfirm, User } from "./types";

/** Sets the httpOnly auth cookies for this host on success. */
export async function login(body: Login): Promise<User> {
  const data = await unwrap(api.POST("/api/auth/login/", { body }));
  return data.user;
}

/** Exchanges the single-use token from signup's `login_url` for auth cookies on this host. */
export async function handoff(token: string): Promise<User> {
  const data = await unwrap(api.POST("/api/auth/handoff/", { body: { token } }));
  return data.user;
}

export async function logout(): Promise<void> {
  await unwrap(api.POST("/api/auth/logout/"));
}

export async function getCurrentUser(): Promise<User> {
  return unwrap(api.GET("/api/auth/user/"));
}

export async function changePassword(body: PasswordChange): Promise<void> {
  await unwrap(api.POST("/api/auth/password/change/", { body }));
}

/** Always succeeds for a well-formed email, so it can't be used to learn who is a member. */
export async function requestPasswordReset(body: PasswordReset): Promise<void> {
  await unwrap(api.POST("/api/auth/password/reset/", { body }));
}

export async function confirmPasswordReset(body: PasswordResetConfirm): Promise<void> {
  await unwrap(api.POST("/api/auth/password/reset/confirm/", { body }));
}
