import { cleanup } from "@testing-library/react";
import { afterEach } from "vitest";

// Testing Library only auto-cleans when the runner exposes a global afterEach before it loads;
// doing it here works with or without `globals`.
afterEach(() => {
  cleanup();
});
