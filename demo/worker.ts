import { createApp } from "../worker/app";
import { signEmbedToken } from "../worker/auth/token";
import type { Env } from "../worker/env";
import { DEMO_EMBED_SECRET, DEMO_KID, DEMO_USERS } from "./constants";
import { panelPage } from "./pages";

/**
 * The demo's Worker: the real app plus the demo pages and a token minter standing in for
 * a hosting panel's backend. Only `npm start` (wrangler dev) runs this file; `wrangler deploy`
 * ships worker/index.ts, where none of this exists.
 */
const app = createApp();

app.get("/", (c) => c.redirect("/demo/"));
app.get("/demo", (c) => c.redirect("/demo/"));
app.get("/demo/", (c) => c.html(panelPage()));

// What a host panel's backend does: sign a short-lived token for the signed-in user.
app.get("/demo/token/:user", async (c) => {
  const user = DEMO_USERS.find((u) => u.key === c.req.param("user"));
  if (!user) return c.text("no such demo user", 404);
  const now = Math.floor(Date.now() / 1000);
  const token = await signEmbedToken(
    { iss: user.tenant, aud: "edgedesk", sub: user.sub, email: user.email, name: user.name, role: user.role, services: user.services, iat: now, exp: now + 15 * 60 },
    { kid: DEMO_KID, secret: DEMO_EMBED_SECRET },
  );
  c.header("Cache-Control", "no-store");
  return c.text(token);
});

export default { fetch: app.fetch } satisfies ExportedHandler<Env>;
