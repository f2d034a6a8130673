import type { ComponentType, SVGProps } from "react";

import { CallsIcon, CampaignsIcon, ContactsIcon, DashboardIcon, InboxIcon, MessagesIcon, SettingsIcon, TemplatesIcon } from "@/components/icons";

export interface NavItem {
  href: string;
  label: string;
  icon: ComponentType<SVGProps<SVGSVGElement>>;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { href: "/dashboard", label: "Dashboard", icon: DashboardIcon },
  { href: "/inbox", label: "Inbox", icon: InboxIcon },
  { href: "/calls", label: "Calls", icon: CallsIcon },
  { href: "/messages", label: "Messages", icon: MessagesIcon },
  { href: "/contacts", label: "Contacts", icon: ContactsIcon },
  { href: "/templates", label: "Templates", icon: TemplatesIcon },
  { href: "/campaigns", label: "Campaigns", icon: CampaignsIcon },
  { href: "/settings", label: "Settings", icon: SettingsIcon },
];

export function isActive(pathname: string, href: string): boolean {
  return pathname === href || pathname.startsWith(`${href}/`);
}

/** Pages that use the whole width beside the sidebar (the inbox's three columns). */
const WIDE_PAGES = ["/inbox"];

export function isWidePage(pathname: string): boolean {
  return WIDE_PAGES.some((href) => isActive(pathname, href));
}
