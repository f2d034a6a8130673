import { render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";

import type { User } from "@/lib/api/types";
import { testUser } from "@/lib/testing/users";
import { SettingsContent } from "./SettingsContent";

let viewer: User = testUser("owner");

vi.mock("@/components/app/SessionProvider", () => ({ useSession: () => ({ user: viewer }) }));
// The sections load their own data; this test is about which sections a viewer gets.
vi.mock("@/components/team/TeamSection", () => ({ TeamSection: () => null }));
vi.mock("@/components/whatsapp/WhatsAppSection", () => ({ WhatsAppSection: () => null }));
vi.mock("./PasswordChangeForm", () => ({ PasswordChangeForm: () => null }));
vi.mock("@/components/branding/DomainsPanel", () => ({
  DomainsPanel: ({ scope, canManage }: { scope: string; canManage: boolean }) => <p>{`domains panel: ${scope}, manage ${canManage}`}</p>,
}));
vi.mock("./developer/ApiKeys", () => ({ ApiKeys: () => <p>api keys</p> }));
vi.mock("./developer/Webhooks", () => ({ Webhooks: () => <p>webhooks</p> }));
vi.mock("./data/DataAndDeletion", () => ({ DataAndDeletion: ({ slug }: { slug: string }) => <p>{`data and deletion of ${slug}`}</p> }));

describe("Settings → Developers", () => {
  it("is a section (#developers) with the API keys for owners and admins, not agents", () => {
    viewer = testUser("admin");
    const { unmount } = render(<SettingsContent />);
    expect(screen.getByRole("heading", { name: "Developers" }).closest("section")?.id).toBe("developers");
    expect(screen.getByRole("link", { name: "Developers" }).getAttribute("href")).toBe("#developers");
    expect(screen.getByText("api keys")).toBeDefined();
    expect(screen.getByText("webhooks")).toBeDefined();
    unmount();

    viewer = testUser("agent");
    render(<SettingsContent />);
    expect(screen.queryByRole("link", { name: "Developers" })).toBeNull();
    expect(screen.queryByText("api keys")).toBeNull();
  });
});

describe("Settings → Domains", () => {
  it("is a section (#domains) with the business's domains for owners and admins", () => {
    for (const role of ["owner", "admin"] as const) {
      viewer = testUser(role);
      const { unmount } = render(<SettingsContent />);

      expect(screen.getByRole("heading", { name: "Domains" }).closest("section")?.id).toBe("domains");
      expect(screen.getByRole("link", { name: "Domains" }).getAttribute("href")).toBe("#domains");
      expect(screen.getByText("domains panel: business, manage true")).toBeDefined();
      unmount();
    }
  });

  it("is not shown to agents", () => {
    viewer = testUser("agent");
    render(<SettingsContent />);

    expect(screen.queryByRole("heading", { name: "Domains" })).toBeNull();
    expect(screen.queryByRole("link", { name: "Domains" })).toBeNull();
    expect(screen.queryByText(/domains panel/)).toBeNull();
  });
});

describe("Settings → Data & deletion", () => {
  it("is a section (#data) for owners only: admins and agents never see the export or the deletion", () => {
    viewer = testUser("owner");
    const { unmount } = render(<SettingsContent />);
    expect(screen.getByRole("heading", { name: "Data & deletion" }).closest("section")?.id).toBe("data");
    expect(screen.getByRole("link", { name: "Data & deletion" }).getAttribute("href")).toBe("#data");
    expect(screen.getByText("data and deletion of acme")).toBeDefined();
    unmount();

    for (const role of ["admin", "agent"] as const) {
      viewer = testUser(role);
      const { unmount: done } = render(<SettingsContent />);
      expect(screen.queryByRole("link", { name: "Data & deletion" })).toBeNull();
      expect(screen.queryByText(/data and deletion of/)).toBeNull();
      done();
    }
  });
});
