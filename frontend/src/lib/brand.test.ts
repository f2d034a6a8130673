import { describe, expect, it } from "vitest";

import {
  BRAND_SHADES,
  brandInitial,
  brandPaletteCss,
  brandPaletteVars,
  brandShades,
  contrastRatio,
  isHexColor,
  MIN_CONTRAST_700,
  mixRgb,
  relativeLuminance,
  safeLogoUrl,
  toBrand,
} from "./brand";

const WHITE = [255, 255, 255] as const;
const rgbOf = (hex: string) => {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff] as const;
};
/** The shade as the browser shows it: the mix, rounded to 8-bit channels. */
const shadeRgb = (hex: string, shade: (typeof BRAND_SHADES)[number]) =>
  mixRgb(rgbOf(hex), brandShades(hex)![shade]).map(Math.round) as unknown as readonly [number, number, number];

describe("isHexColor", () => {
  it("accepts #rrggbb only", () => {
    expect(isHexColor("#1f8a70")).toBe(true);
    expect(isHexColor("#ABCDEF")).toBe(true);
    for (const bad of ["1f8a70", "#fff", "#1f8a70ff", "#1f8a7g", " #1f8a70", "#1f8a70 ", "red", "", null, undefined, 0x1f8a70, {}]) {
      expect(isHexColor(bad)).toBe(false);
    }
  });
});

describe("brandPaletteCss", () => {
  it("overrides every brand variable of the theme on :root, from color-mix shades of the colour", () => {
    const css = brandPaletteCss("#1E3A8A")!;

    expect(css.startsWith(":root {")).toBe(true);
    for (const shade of BRAND_SHADES) expect(css).toContain(`--color-brand-${shade}: `);
    expect(css).toContain("--color-brand-50: color-mix(in srgb, #1e3a8a 6%, white);");
    // A dark blue is readable under white text as it is: 700 is the colour itself.
    expect(css).toContain("--color-brand-700: #1e3a8a;");
    expect(css).toMatch(/--color-brand-900: color-mix\(in srgb, #1e3a8a \d+%, black\);/);
  });

  it("emits nothing but hex digits and its own words", () => {
    const css = brandPaletteCss("#12ab9f")!;
    const stripped = css.replace(/--color-brand-\d+|color-mix|in srgb|white|black|#12ab9f|\d+%|:root/g, "");
    expect(stripped).toMatch(/^[\s{}:;,()]*$/);
  });

  it("is null for anything that is not #rrggbb (nothing is injected)", () => {
    for (const bad of ["red", "#fff", "#000000; } body { display: none", "</style><script>alert(1)</script>", "", null, undefined, 42]) {
      expect(brandPaletteCss(bad)).toBeNull();
    }
  });

  it("keeps white text on 700 and 700 on white at WCAG AA, even for a light colour", () => {
    for (const color of ["#ffdd00", "#ffffff", "#7cfc00", "#00ffff", "#ff69b4", "#12b76a", "#1e3a8a", "#000000", "#808080"]) {
      const at700 = shadeRgb(color, 700);
      expect(contrastRatio(at700, WHITE), color).toBeGreaterThanOrEqual(4.5);
      // Badges: 800 text on the 50 tint.
      expect(contrastRatio(shadeRgb(color, 800), shadeRgb(color, 50)), color).toBeGreaterThanOrEqual(4.5);
    }
  });

  it("darkens a light colour only as much as needed", () => {
    const shades = brandShades("#ffdd00")!;
    expect(shades[700].with).toBe("black");
    expect(shades[700].share).toBeLessThan(100);
    const oneLess = mixRgb(rgbOf("#ffdd00"), { share: shades[700].share + 1, with: "black" });
    expect(contrastRatio(oneLess, WHITE)).toBeLessThan(MIN_CONTRAST_700);
  });

  it("orders the shades from light to dark", () => {
    for (const color of ["#ffdd00", "#1e3a8a", "#12b76a", "#000000", "#ffffff"]) {
      const luminances = BRAND_SHADES.map((shade) => relativeLuminance(shadeRgb(color, shade)));
      for (let i = 1; i < luminances.length; i++) expect(luminances[i]!, `${color} ${BRAND_SHADES[i]}`).toBeLessThanOrEqual(luminances[i - 1]!);
    }
  });
});

describe("brandPaletteVars", () => {
  it("gives the same shades as the CSS, as properties to set on an element (the settings' preview)", () => {
    const vars = brandPaletteVars("#1e3a8a")!;
    expect(Object.keys(vars)).toEqual(BRAND_SHADES.map((shade) => `--color-brand-${shade}`));
    for (const [name, value] of Object.entries(vars)) expect(brandPaletteCss("#1e3a8a")).toContain(`${name}: ${value};`);
    expect(brandPaletteVars("nope")).toBeNull();
  });
});

describe("safeLogoUrl", () => {
  it("keeps our own paths and drops everything else", () => {
    expect(safeLogoUrl("/api/site/logo/?v=1733500000")).toBe("/api/site/logo/?v=1733500000");
    for (const bad of ["https://evil.test/logo.png", "//evil.test/logo.png", "/\\evil.test", "javascript:alert(1)", "data:image/png;base64,AA", "", null, 3]) {
      expect(safeLogoUrl(bad)).toBeNull();
    }
  });
});

describe("brandInitial", () => {
  it("is the first letter, upper-cased", () => {
    expect(brandInitial("  northwind")).toBe("N");
    expect(brandInitial("Élan")).toBe("É");
    expect(brandInitial("")).toBe("?");
  });
});

describe("toBrand", () => {
  it("keeps a checked brand: trimmed name, lower-case #rrggbb, our own logo path", () => {
    expect(toBrand({ name: " Northwind ", primary_color: "#1E3A8A", logo_url: "/api/site/logo/?v=1" })).toEqual({
      name: "Northwind",
      primaryColor: "#1e3a8a",
      logoUrl: "/api/site/logo/?v=1",
    });
  });

  it("drops a colour that is not #rrggbb and a logo from elsewhere, and a brand without a name", () => {
    expect(toBrand({ name: "Northwind", primary_color: "#000000;}body{display:none", logo_url: "https://evil.test/x.png" })).toEqual({
      name: "Northwind",
      primaryColor: null,
      logoUrl: null,
    });
    expect(toBrand({ name: "  ", primary_color: "#123456", logo_url: null })).toBeNull();
    expect(toBrand(null)).toBeNull();
  });
});
