/**
 * Rendering under a fresh query cache, for component tests (each test starts with nothing cached).
 */
import { QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import { render, type RenderOptions } from "@testing-library/react";
import type { ReactElement, ReactNode } from "react";

import { makeQueryClient } from "./client";

export function renderWithQuery(ui: ReactElement, options: Omit<RenderOptions, "wrapper"> & { client?: QueryClient } = {}) {
  const { client = makeQueryClient(), ...rest } = options;
  const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={client}>{children}</QueryClientProvider>;
  return { client, ...render(ui, { wrapper, ...rest }) };
}
