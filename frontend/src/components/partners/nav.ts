import type { ComponentType, SVGProps } from "react";

import { UsersIcon } from "@/components/icons";
import { ActivityIcon, BrandIcon, BusinessIcon } from "./icons";

export interface ConsoleNavItem {
  href: string;
  label: string;
  icon: ComponentType<SVGProps<SVGSVGElement>>;
  /** Other paths that belong to this item (a business's pages belong to Businesses). */
  also?: string;
}

export const CONSOLE_NAV: readonly ConsoleNavItem[] = [
  { href: "/partners", label: "Businesses", icon: BusinessIcon, also: "/partners/businesses" },
  { href: "/partners/team", label: "Team", icon: UsersIcon },
  { href: "/partners/activity", label: "Activity", icon: ActivityIcon },
  { href: "/partners/brand", label: "Brand", icon: BrandIcon },
];

const within = (pathname: string, href: string) => pathname === href || pathname.startsWith(`${href}/`);

/** "/partners" is the prefix of every console page, so Businesses matches it exactly (or its own pages). */
export function isActiveItem(pathname: string, item: ConsoleNavItem): boolean {
  return pathname === item.href || (item.href !== "/partners" && within(pathname, item.href)) || (item.also !== undefined && within(pathname, item.also));
}
