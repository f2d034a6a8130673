/** Words for a message's type, for lists: "Text", "Interactive · list", "Template · order_shipped". */
const INTERACTIVE_NAMES: Record<string, string> = {
  button: "reply buttons",
  list: "list",
  cta_url: "CTA URL",
  location_request_message: "location request",
  carousel: "carousel",
  flow: "flow",
};

export function describeMessageType(type: string, payload: Record<string, unknown>): string {
  const label = type.charAt(0).toUpperCase() + type.slice(1);
  const inner = payload[type];
  if (type === "interactive" && typeof inner === "object" && inner !== null) {
    const sub = String((inner as Record<string, unknown>).type ?? "");
    return sub ? `${label} · ${INTERACTIVE_NAMES[sub] ?? sub}` : label;
  }
  if (type === "template" && typeof inner === "object" && inner !== null) {
    const name = (inner as Record<string, unknown>).name;
    return typeof name === "string" && name ? `${label} · ${name}` : label;
  }
  return label;
}

/** Meta's `to` is digits only; people read it with a +. */
export function displayPhone(digits: string): string {
  return digits.startsWith("+") ? digits : `+${digits}`;
}
