import { fill, type Locale } from "../i18n";
import { type AdminCatalogue, type AdminKey, enAdmin } from "../locales/en-console-admin";

const loaded = new Map<Locale, AdminCatalogue>([["en", enAdmin]]);

/** The admin screens' strings in `locale`, loaded on first use (only these screens ever ask). */
export async function loadAdminText(locale: Locale): Promise<AdminCatalogue> {
  if (!loaded.has(locale)) loaded.set(locale, (await import("../locales/ru-console-admin")).ruAdmin);
  return loaded.get(locale) ?? enAdmin;
}

/** `key`'s string with its `{name}` placeholders filled. */
export function adminMsg(
  catalogue: AdminCatalogue,
  key: AdminKey,
  params: Record<string, string | number> = {},
): string {
  return fill(catalogue[key], params);
}

export type { AdminCatalogue, AdminKey };
export { enAdmin };
