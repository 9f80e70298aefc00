-- Migration 0008: the status notice (docs/api.md, "Status notice"): a maintenance or incident
-- notice a tenant shows at the top of its customer widget and on the new-ticket form.

-- The notice is on the tenant's row, so the cached tenant read (middleware/tenant-cache.ts) brings
-- it with no round trip of its own: JSON of {text, severity, startsAt, endsAt, affects, setAt,
-- setBy}, or NULL for none. Apart from `config`, so the provider's PUT of a tenant's config and a
-- settings change never erase it, and setting it never conflicts with them.
ALTER TABLE tenants ADD COLUMN status_notice TEXT;

-- The Standard Webhooks secret (`whsec_…`) a status page signs its POSTs with; NULL: the webhook is off.
-- Not in tenant_secrets: those are the embed-token keys, and this one must never sign a token.
ALTER TABLE tenants ADD COLUMN status_webhook_secret TEXT;

-- The webhook-ids received, for as long as their timestamp is still accepted (5 minutes either
-- way): a replayed delivery finds its id here and changes nothing. Rows past `expires_at` are
-- removed by the next delivery to the same tenant.
CREATE TABLE status_webhook_ids (
  tenant_id   TEXT NOT NULL REFERENCES tenants (id),
  webhook_id  TEXT NOT NULL,
  expires_at  INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, webhook_id)
) WITHOUT ROWID;
