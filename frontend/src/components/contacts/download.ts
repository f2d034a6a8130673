/**
 * Downloads. Big files (the CSV export, an import's error report) are streamed by Django, so the
 * browser fetches them itself from a plain URL; we only make sure the access cookie is fresh first
 * (a plain navigation can't refresh it the way the API client does on a 401).
 */
import { getCurrentUser } from "@/lib/api/auth";

export async function downloadUrl(url: string): Promise<void> {
  await getCurrentUser(); // a 401 here refreshes the access cookie once, like any API call
  const link = document.createElement("a");
  link.href = url;
  link.download = "";
  document.body.appendChild(link);
  link.click();
  link.remove();
}

/** Saves data the page already holds (a contact's data export) as a JSON file. */
export function downloadJson(data: unknown, fileName: string): void {
  const blob = new Blob([JSON.stringify(data, null, 2)], { type: "application/json" });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
