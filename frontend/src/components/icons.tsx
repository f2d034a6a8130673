/** A handful of 24×24 stroke icons, drawn here so no icon library is needed. Decorative: aria-hidden. */
import type { SVGProps } from "react";

export type IconProps = SVGProps<SVGSVGElement>;

/** The frame every icon is drawn in (the partner console's icons too). */
export function Svg({ children, ...props }: IconProps) {
  return (
    <svg
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.8}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      className="size-5"
      {...props}
    >
      {children}
    </svg>
  );
}

export const DashboardIcon = (p: IconProps) => (
  <Svg {...p}>
    <rect x="3.5" y="3.5" width="7" height="7" rx="1.5" />
    <rect x="13.5" y="3.5" width="7" height="7" rx="1.5" />
    <rect x="3.5" y="13.5" width="7" height="7" rx="1.5" />
    <rect x="13.5" y="13.5" width="7" height="7" rx="1.5" />
  </Svg>
);

export const InboxIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M4 5.5h16v10.5H9l-5 4z" />
    <path d="M8 9.5h8M8 12.5h5" />
  </Svg>
);

/** A handset: Calls (/calls). */
export const CallsIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M5 4.5h3.5l1.5 4-2 1.5a11 11 0 0 0 6 6l1.5-2 4 1.5V19a1.5 1.5 0 0 1-1.5 1.5A15.5 15.5 0 0 1 3.5 6 1.5 1.5 0 0 1 5 4.5z" />
  </Svg>
);

/** A paper plane: Messages (sent one by one, /messages). */
export const MessagesIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M20.5 3.5L10 14M20.5 3.5l-6.5 17-4-6.5-6.5-4z" />
  </Svg>
);

export const ContactsIcon = (p: IconProps) => (
  <Svg {...p}>
    <circle cx="12" cy="8" r="3.5" />
    <path d="M5 20c.5-3.5 3.5-5.5 7-5.5s6.5 2 7 5.5" />
  </Svg>
);

export const TemplatesIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M6 3.5h8.5l3.5 3.5v13.5H6z" />
    <path d="M14 3.5V7h4M9 11.5h6M9 15h6" />
  </Svg>
);

export const CampaignsIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M4 10v4h3.5l6 4.5v-13L7.5 10z" />
    <path d="M17 9a4 4 0 0 1 0 6M19.5 6.5a7.5 7.5 0 0 1 0 11" />
  </Svg>
);

export const SettingsIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M4 7h9M17 7h3M4 17h3M11 17h9" />
    <circle cx="15" cy="7" r="2" />
    <circle cx="9" cy="17" r="2" />
  </Svg>
);

export const MenuIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M4 7h16M4 12h16M4 17h16" />
  </Svg>
);

export const CloseIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M6 6l12 12M18 6L6 18" />
  </Svg>
);

export const CheckIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M5 12.5l4.5 4.5L19 7.5" />
  </Svg>
);

export const UsersIcon = (p: IconProps) => (
  <Svg {...p}>
    <circle cx="9" cy="8.5" r="3" />
    <path d="M3.5 19c.4-3 2.7-4.8 5.5-4.8s5.1 1.8 5.5 4.8" />
    <circle cx="16.5" cy="9.5" r="2.5" />
    <path d="M16 14.3c2.4 0 4.2 1.5 4.5 4" />
  </Svg>
);
