/** Outbound webhooks (apps/developer): owners and admins manage endpoints; the secret comes back only on create and roll. */
import { api, cursorOf, unwrap } from "@/lib/apiClient";
import type { CursorPage } from "./pages";
import type {
  WebhookDelivery,
  WebhookDeliveryDetail,
  WebhookDeliveryStatus,
  WebhookEndpoint,
  WebhookEndpointCreate,
  WebhookEndpointWithSecret,
  WebhookEventTypeInfo,
} from "./types";

const path = (id: number) => ({ params: { path: { endpoint_id: id } } });
const deliveryPath = (id: string) => ({ params: { path: { delivery_id: id } } });

export async function listWebhooks(nextUrl?: string | null): Promise<CursorPage<WebhookEndpoint>> {
  return unwrap(api.GET("/api/developer/webhooks/", { params: { query: { cursor: cursorOf(nextUrl) } } }));
}

export async function listWebhookEventTypes(): Promise<WebhookEventTypeInfo[]> {
  return unwrap(api.GET("/api/developer/webhooks/event-types/"));
}

export async function createWebhook(body: WebhookEndpointCreate): Promise<WebhookEndpointWithSecret> {
  return unwrap(api.POST("/api/developer/webhooks/", { body }));
}

export async function deleteWebhook(id: number): Promise<void> {
  await unwrap(api.DELETE("/api/developer/webhooks/{endpoint_id}/", path(id)));
}

/** A new signing secret, shown once; the old one keeps signing for a day. */
export async function rollWebhookSecret(id: number): Promise<WebhookEndpointWithSecret> {
  return unwrap(api.POST("/api/developer/webhooks/{endpoint_id}/roll-secret/", path(id)));
}

export async function enableWebhook(id: number): Promise<WebhookEndpoint> {
  return unwrap(api.POST("/api/developer/webhooks/{endpoint_id}/enable/", path(id)));
}

/** Sends a `ping` now and answers with its delivery and the attempt. */
export async function testWebhook(id: number): Promise<WebhookDeliveryDetail> {
  return unwrap(api.POST("/api/developer/webhooks/{endpoint_id}/test/", path(id)));
}

export async function listWebhookDeliveries(
  id: number,
  status: WebhookDeliveryStatus | "",
  nextUrl?: string | null,
): Promise<CursorPage<WebhookDelivery>> {
  return unwrap(
    api.GET("/api/developer/webhooks/{endpoint_id}/deliveries/", {
      params: { path: { endpoint_id: id }, query: { cursor: cursorOf(nextUrl), status: status || undefined } },
    }),
  );
}

export async function getWebhookDelivery(id: string): Promise<WebhookDeliveryDetail> {
  return unwrap(api.GET("/api/developer/webhooks/deliveries/{delivery_id}/", deliveryPath(id)));
}

export async function replayWebhookDelivery(id: string): Promise<WebhookDelivery> {
  return unwrap(api.POST("/api/developer/webhooks/deliveries/{delivery_id}/replay/", deliveryPath(id)));
}
