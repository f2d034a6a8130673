import Link from "next/link";

import { buttonClasses } from "./ui";

/** Shown when Django can't tell what this host is (unknown subdomain) or can't be reached. */
export function HostProblem({ message, publicUrl }: { message: string; publicUrl?: string }) {
  return (
    <div className="flex flex-col items-center gap-4 text-center">
      <h1 className="text-xl font-semibold">We can&apos;t open this page</h1>
      <p role="alert" className="max-w-md text-slate-600">
        {message}
      </p>
      {publicUrl ? (
        <a href={publicUrl} className={buttonClasses("secondary")}>
          Go to ConvoNest
        </a>
      ) : (
        <Link href="/" className={buttonClasses("secondary")}>
          Try again
        </Link>
      )}
    </div>
  );
}
