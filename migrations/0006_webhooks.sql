-- Migration 0006: event webhooks (docs/webhooks.md).
-- A tenant's endpoints, each with the events it wants, and one delivery row per event and
-- endpoint. A change writes its delivery rows in its own batch (INSERT … SELECT over the
-- tenant's endpoints: one row per endpoint that wants the event), so an event is never lost
-- with a crash after the commit nor written twice; the queue's consumer sends each row under a
-- lease (worker/webhooks/delivery.ts) and the cron re-queues what is due and stuck.

-- `events` is a JSON array of event types. Secrets are Standard Webhooks secrets (`whsec_` and
-- base64); after a rotation the old one keeps signing beside the new one until
-- `previous_secret_until`, so receivers can switch without dropping a delivery.
CREATE TABLE webhook_endpoints (
  id                       TEXT PRIMARY KEY,
  tenant_id                TEXT NOT NULL REFERENCES tenants (id),
  url                      TEXT NOT NULL,
  description              TEXT NOT NULL DEFAULT '',
  events                   TEXT NOT NULL CHECK (json_valid(events) AND json_type(events) = 'array'),
  include_internal_notes   INTEGER NOT NULL DEFAULT 0 CHECK (include_internal_notes IN (0, 1)),
  secret                   TEXT NOT NULL,
  previous_secret          TEXT,
  previous_secret_until    INTEGER,
  created_at               INTEGER NOT NULL,
  updated_at               INTEGER NOT NULL
);
CREATE INDEX webhook_endpoints_tenant ON webhook_endpoints (tenant_id);

-- `event_id` is the `webhook-id` header: the same for every endpoint and every try of one event.
-- `payload` is the body, fixed when the change was written. `status` moves pending → delivered,
-- or pending → failed after the last try (the dead-letter record, with `last_error`).
CREATE TABLE webhook_deliveries (
  event_id         TEXT NOT NULL,
  endpoint_id      TEXT NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
  tenant_id        TEXT NOT NULL REFERENCES tenants (id),
  type             TEXT NOT NULL,
  payload          TEXT NOT NULL,
  status           TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  INTEGER NOT NULL,
  lease_until      INTEGER,
  response_code    INTEGER,
  last_error       TEXT,
  created_at       INTEGER NOT NULL,
  finished_at      INTEGER,
  PRIMARY KEY (event_id, endpoint_id)
);
-- The consumer's and the cron's look-up: what is due, per tenant.
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (tenant_id, next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_stuck ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
-- The admin's list of recent deliveries, per endpoint.
CREATE INDEX webhook_deliveries_recent ON webhook_deliveries (endpoint_id, created_at DESC);
