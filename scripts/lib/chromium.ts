import { type Browser, chromium } from "playwright-core";

/**
 * Headless Debian Chromium (/usr/bin/chromium; never a downloaded browser), making no requests
 * of its own and resolving no host but loopback: for the browser tests and the bench.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      // Pages under test talk to loopback only: any other host fails to resolve instead of leaving the machine.
      "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
    ],
  });
}
