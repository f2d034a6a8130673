import type { Metadata } from "next";

import { AuthCard } from "@/components/auth/AuthCard";
import { WelcomeHandoff } from "@/components/auth/WelcomeHandoff";
import { firstParam, type SearchParams } from "@/lib/searchParams";

export const metadata: Metadata = { title: "Welcome", referrer: "no-referrer" };

export default async function WelcomePage({ searchParams }: { searchParams: SearchParams }) {
  const token = firstParam((await searchParams).token);
  return (
    <AuthCard title="Welcome to ConvoNest" subtitle="Your business is ready.">
      <WelcomeHandoff token={token} />
    </AuthCard>
  );
}
