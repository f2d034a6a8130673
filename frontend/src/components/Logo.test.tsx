import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import type { SiteBrand } from "@/lib/api/types";
import { toBrand } from "@/lib/brand";
import { BrandProvider, useBrand } from "./BrandProvider";
import { Logo } from "./Logo";

const NORTHWIND: SiteBrand = { name: "Northwind Chat", primary_color: "#1E3A8A", logo_url: "/api/site/logo/?v=1733500000" };

function Branded({ brand, showName }: { brand: SiteBrand | null; showName?: boolean }) {
  return (
    <BrandProvider brand={toBrand(brand)}>
      <Logo showName={showName} />
    </BrandProvider>
  );
}

describe("Logo", () => {
  it("is ConvoNest's mark and name without a brand (and outside any provider)", () => {
    const { container } = render(<Logo />);

    expect(screen.getByText("ConvoNest")).toBeDefined();
    expect(container.querySelector("svg")).not.toBeNull();
    expect(screen.queryByRole("img")).toBeNull();
  });

  it("is ConvoNest's when the site has no brand", () => {
    render(<Branded brand={null} />);
    expect(screen.getByText("ConvoNest")).toBeDefined();
  });

  it("shows the reseller's logo, named after the brand, and the brand's name instead of ConvoNest's", () => {
    const { container } = render(<Branded brand={NORTHWIND} />);

    const logo = screen.getByRole("img", { name: "Northwind Chat" });
    expect(logo.getAttribute("src")).toBe("/api/site/logo/?v=1733500000");
    expect(screen.getByText("Northwind Chat")).toBeDefined();
    expect(screen.queryByText("ConvoNest")).toBeNull();
    expect(container.querySelector("svg")).toBeNull();
  });

  it("keeps the logo (with its name) when the name is hidden", () => {
    render(<Branded brand={NORTHWIND} showName={false} />);

    expect(screen.getByRole("img", { name: "Northwind Chat" })).toBeDefined();
    expect(screen.queryByText("Northwind Chat")).toBeNull();
  });

  it("shows a neutral initial badge for a brand without a logo", () => {
    const { container } = render(<Branded brand={{ name: "northwind", primary_color: null, logo_url: null }} />);

    expect(screen.queryByRole("img")).toBeNull();
    expect(screen.getByText("N")).toBeDefined();
    expect(screen.getByText("northwind")).toBeDefined();
    expect(container.querySelector("svg")).toBeNull();
    expect(screen.queryByText("ConvoNest")).toBeNull();
  });

  it("still names the brand for screen readers when only the badge shows", () => {
    render(<Branded brand={{ name: "Northwind", primary_color: "#1e3a8a", logo_url: null }} showName={false} />);

    expect(screen.getByText("Northwind").className).toContain("sr-only");
  });

  it("never loads a logo from elsewhere", () => {
    render(<Branded brand={{ ...NORTHWIND, logo_url: "https://evil.test/logo.png" }} />);

    expect(screen.queryByRole("img")).toBeNull();
    expect(screen.getByText("Northwind Chat")).toBeDefined();
  });
});

describe("BrandProvider", () => {
  function Probe() {
    return <pre>{JSON.stringify(useBrand())}</pre>;
  }

  it("hands client components the brand the layout checked", () => {
    render(
      <BrandProvider brand={toBrand(NORTHWIND)}>
        <Probe />
      </BrandProvider>,
    );
    expect(JSON.parse(screen.getByText(/Northwind/).textContent!)).toEqual({
      name: "Northwind Chat",
      primaryColor: "#1e3a8a",
      logoUrl: "/api/site/logo/?v=1733500000",
    });
  });

  it("is null outside a provider and for ConvoNest's own brand", () => {
    render(<Probe />);
    expect(screen.getByText("null")).toBeDefined();
  });
});
