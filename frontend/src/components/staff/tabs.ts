/** The staff console's paths and tabs, for its pages (server components) and the console alike. */

export const STAFF_HOME = "/staff";
export const STAFF_LOGIN_PATH = "/staff/login";

export const STAFF_TABS = [
  { value: "businesses", label: "Businesses", description: "Every business on ConvoNest, its plan and its usage this month." },
  { value: "resellers", label: "Resellers", description: "Agencies running businesses for their clients." },
  { value: "webhooks", label: "Webhooks", description: "Meta's webhook changes no business could take, or whose handling failed." },
  { value: "failed-jobs", label: "Failed jobs", description: "Background work that failed and is retrying or needs a person." },
] as const;

export type StaffTab = (typeof STAFF_TABS)[number]["value"];

/** The tab a `?tab=` names, or the first. */
export function staffTab(value: string | undefined): StaffTab {
  return STAFF_TABS.find((tab) => tab.value === value)?.value ?? "businesses";
}

/** A `?reseller=` the business list accepts (an id, or "none" for direct businesses); anything else is no filter. */
export function resellerFilter(value: string | undefined): string | undefined {
  return value && /^([0-9]{1,18}|none)$/.test(value) ? value : undefined;
}
