/** The console's own navigation icons, drawn like components/icons.tsx (24×24 strokes, decorative). */
import { Svg, type IconProps } from "@/components/icons";

/** A storefront: client businesses. */
export const BusinessIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M4 9.5l1.5-5h13l1.5 5" />
    <path d="M4 9.5c0 1.4 1.1 2.5 2.7 2.5s2.6-1.1 2.6-2.5c0 1.4 1.2 2.5 2.7 2.5s2.7-1.1 2.7-2.5c0 1.4 1 2.5 2.6 2.5S20 10.9 20 9.5" />
    <path d="M5.5 12v7.5h13V12" />
    <path d="M10 19.5v-4.5h4v4.5" />
  </Svg>
);

/** A pulse line: the audit log. */
export const ActivityIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M3.5 12h4l2.5-6 4 12 2.5-6h4" />
  </Svg>
);

/** A palette swatch: the white label. */
export const BrandIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M12 3.5a8.5 8.5 0 100 17c1.2 0 1.8-.8 1.8-1.7 0-1.2-1-1.6-1-2.6 0-.9.7-1.5 1.7-1.5h2c2.2 0 3.9-1.7 3.9-3.9 0-4.1-3.8-7.3-8.4-7.3z" />
    <circle cx="8" cy="11" r="1" />
    <circle cx="10.5" cy="7.5" r="1" />
    <circle cx="15" cy="7.5" r="1" />
  </Svg>
);
