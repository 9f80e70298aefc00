-- Migration 0001: the schema as of Edgedesk 0.1 (tables, indexes).
-- Applied by `wrangler d1 migrations apply edgedesk` (locally by `npm start` and the tests), once;
-- never edit an applied migration: add the next numbered file (see docs/deploying.md, "Migrations").
-- snake_case here; the row mappers in worker/db/ turn rows into camelCase domain objects.
-- Times are integers: milliseconds since the Unix epoch, UTC.

-- A provider or a reseller (parent_id names the provider). `config` holds the validated
-- TenantConfig JSON (branding, origins, hours, holidays, departments, rules); see
-- worker/schemas/tenant.ts.
CREATE TABLE tenants (
  id          TEXT PRIMARY KEY,
  parent_id   TEXT REFERENCES tenants (id),
  name        TEXT NOT NULL,
  config      TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);

-- Embed secrets that host panels sign their HS256 tokens with; several at once for rotation.
CREATE TABLE tenant_secrets (
  tenant_id   TEXT NOT NULL REFERENCES tenants (id),
  kid         TEXT NOT NULL,
  secret      TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  revoked_at  INTEGER,
  PRIMARY KEY (tenant_id, kid)
);

CREATE TABLE tickets (
  id                      TEXT PRIMARY KEY,
  tenant_id               TEXT NOT NULL REFERENCES tenants (id),
  -- The number people quote ("#48213907"): random, unique per tenant, says nothing of time.
  number                  INTEGER NOT NULL,
  subject                 TEXT NOT NULL,
  status                  TEXT NOT NULL CHECK (status IN ('open', 'in_progress', 'answered', 'on_hold', 'closed')),
  priority                TEXT NOT NULL CHECK (priority IN ('information', 'low', 'medium', 'high', 'urgent')),
  department              TEXT NOT NULL,
  service_id              TEXT,
  service_label           TEXT,
  fields                  TEXT NOT NULL DEFAULT '{}',
  requester_kind          TEXT NOT NULL CHECK (requester_kind IN ('user', 'guest')),
  requester_id            TEXT NOT NULL,
  requester_email         TEXT NOT NULL,
  requester_name          TEXT NOT NULL,
  -- SHA-256 of a guest's access key; the key itself is never stored.
  guest_key_hash          TEXT,
  assignee                TEXT,
  -- AES-GCM ciphertext of the write-only sensitive field (passwords), never sent back out.
  sensitive               TEXT,
  created_at              INTEGER NOT NULL,
  updated_at              INTEGER NOT NULL,
  last_activity_at        INTEGER NOT NULL,
  -- When the ticket last entered `answered` (auto-close counts from here).
  answered_at             INTEGER,
  closed_at               INTEGER,
  -- Bumped on every change; updates are conditional on it so concurrent writers never clobber.
  version                 INTEGER NOT NULL DEFAULT 1,
  UNIQUE (tenant_id, number)
);
-- Queue and history listing: keyset pagination on (last_activity_at, id), newest first.
CREATE INDEX tickets_tenant_activity ON tickets (tenant_id, last_activity_at DESC, id DESC);
CREATE INDEX tickets_requester_activity ON tickets (tenant_id, requester_kind, requester_id, last_activity_at DESC, id DESC);
CREATE INDEX tickets_tenant_status_activity ON tickets (tenant_id, status, last_activity_at DESC, id DESC);
CREATE UNIQUE INDEX tickets_guest_key ON tickets (tenant_id, guest_key_hash) WHERE guest_key_hash IS NOT NULL;

CREATE TABLE messages (
  id           TEXT PRIMARY KEY,
  tenant_id    TEXT NOT NULL,
  ticket_id    TEXT NOT NULL REFERENCES tickets (id),
  author_kind  TEXT NOT NULL CHECK (author_kind IN ('customer', 'agent', 'system')),
  author_id    TEXT NOT NULL,
  author_name  TEXT NOT NULL,
  body         TEXT NOT NULL,
  internal     INTEGER NOT NULL DEFAULT 0 CHECK (internal IN (0, 1)),
  source       TEXT NOT NULL DEFAULT 'web' CHECK (source IN ('web', 'email', 'system')),
  created_at   INTEGER NOT NULL,
  -- A message that came by mail: the original in R2 (agents can view it).
  raw_key      TEXT,
  -- Shown to agents: 'password' when the text looks like it holds a credential.
  warning      TEXT
);
CREATE INDEX messages_ticket ON messages (ticket_id, created_at, id);

-- "Was this helpful?" on staff replies: one vote per user per message, changeable.
CREATE TABLE message_votes (
  message_id  TEXT NOT NULL REFERENCES messages (id),
  voter_id    TEXT NOT NULL,
  helpful     INTEGER NOT NULL CHECK (helpful IN (0, 1)),
  updated_at  INTEGER NOT NULL,
  PRIMARY KEY (message_id, voter_id)
);

-- Every change of status (and of priority, department, assignee): who, when, why.
CREATE TABLE ticket_history (
  id          TEXT PRIMARY KEY,
  tenant_id   TEXT NOT NULL,
  ticket_id   TEXT NOT NULL REFERENCES tickets (id),
  field       TEXT NOT NULL CHECK (field IN ('status', 'priority', 'department', 'assignee')),
  from_value  TEXT,
  to_value    TEXT,
  actor_kind  TEXT NOT NULL CHECK (actor_kind IN ('customer', 'agent', 'system')),
  actor_id    TEXT NOT NULL,
  actor_name  TEXT NOT NULL,
  reason      TEXT NOT NULL,
  created_at  INTEGER NOT NULL
);
CREATE INDEX ticket_history_ticket ON ticket_history (ticket_id, created_at, id);

-- Idempotency-Key on ticket creation: written in the same batch as the ticket, so a retry
-- finds the first ticket and never makes a second.
CREATE TABLE idempotency_keys (
  tenant_id     TEXT NOT NULL,
  principal     TEXT NOT NULL,
  key           TEXT NOT NULL,
  request_hash  TEXT NOT NULL,
  ticket_id     TEXT NOT NULL REFERENCES tickets (id),
  -- A guest's access key, AES-GCM sealed, so that a replay can return it again.
  sealed_access_key TEXT,
  created_at    INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, principal, key)
);
-- Keys are kept a week (worker/jobs/retention.ts).
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

-- Auto-close sweep: the answered tickets of a tenant by when they were answered.
CREATE INDEX tickets_answered_due ON tickets (tenant_id, answered_at) WHERE status = 'answered';

-- Notices for people (ticket received, agent replied, closing soon, closed automatically,
-- on-call alert mail), written in the same batch as the change that causes them. The mailer
-- sends the unsent ones; `dedupe_key` makes each notice exist at most once.
CREATE TABLE notifications (
  id          TEXT PRIMARY KEY,
  tenant_id   TEXT NOT NULL,
  ticket_id   TEXT REFERENCES tickets (id),
  kind        TEXT NOT NULL CHECK (kind IN ('ticket_received', 'agent_replied', 'closing_soon', 'auto_closed', 'alert')),
  recipient   TEXT NOT NULL,
  dedupe_key  TEXT NOT NULL,
  payload     TEXT NOT NULL DEFAULT '{}',
  created_at  INTEGER NOT NULL,
  sent_at     INTEGER,
  -- Delivery by the mailer: claimed with a lease (conditional update), retried with backoff.
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  INTEGER NOT NULL DEFAULT 0,
  lease_until      INTEGER,
  last_error       TEXT,
  -- 'skipped' when the tenant sends no mail; the text we sent, to recognise it quoted in a reply.
  -- 'gave_up' after MAX_ATTEMPTS failed tries (worker/email/mailer.ts).
  outcome          TEXT CHECK (outcome IN ('sent', 'skipped', 'gave_up')),
  message_id       TEXT,
  sent_text        TEXT,
  UNIQUE (tenant_id, dedupe_key)
);
CREATE INDEX notifications_unsent ON notifications (next_attempt_at) WHERE sent_at IS NULL;
CREATE UNIQUE INDEX notifications_message_id ON notifications (tenant_id, message_id) WHERE message_id IS NOT NULL;
CREATE INDEX notifications_ticket ON notifications (ticket_id, created_at);

-- After-hours alerts to the on-call team: one row per trigger (the ticket created, the history
-- entry that raised its priority, the customer's message), recorded in the same batch as the
-- trigger. Delivery claims a row with a lease (conditional update), so two sweeps never page twice.
CREATE TABLE alerts (
  id               TEXT PRIMARY KEY,
  tenant_id        TEXT NOT NULL,
  ticket_id        TEXT NOT NULL REFERENCES tickets (id),
  trigger          TEXT NOT NULL CHECK (trigger IN ('created', 'raised', 'customer_reply')),
  trigger_key      TEXT NOT NULL,
  priority         TEXT NOT NULL,
  state            TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'acknowledged', 'exhausted')),
  -- Which of the tenant's contacts (in order) this alert is for now.
  contact_index    INTEGER NOT NULL DEFAULT 0,
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  INTEGER NOT NULL,
  lease_until      INTEGER,
  delivered_at     INTEGER,
  escalate_at      INTEGER,
  acknowledged_at  INTEGER,
  acknowledged_by  TEXT,
  last_error       TEXT,
  created_at       INTEGER NOT NULL,
  UNIQUE (tenant_id, trigger_key)
);
CREATE INDEX alerts_due ON alerts (next_attempt_at) WHERE state = 'pending';
CREATE INDEX alerts_escalation ON alerts (escalate_at) WHERE state = 'delivered';
CREATE INDEX alerts_ticket ON alerts (ticket_id);

-- Every delivery try of an alert, for the alert log and for audit.
CREATE TABLE alert_attempts (
  id             TEXT PRIMARY KEY,
  alert_id       TEXT NOT NULL REFERENCES alerts (id),
  tenant_id      TEXT NOT NULL,
  contact_index  INTEGER NOT NULL,
  channel        TEXT NOT NULL,
  target         TEXT NOT NULL,
  ok             INTEGER NOT NULL CHECK (ok IN (0, 1)),
  status_code    INTEGER,
  error          TEXT,
  created_at     INTEGER NOT NULL
);
CREATE INDEX alert_attempts_alert ON alert_attempts (alert_id, created_at);

-- Files on R2. A row is written before the bytes (state 'uploading'), made 'ready' once R2 has
-- them and the content checks passed, and attached to exactly one message by its uploader.
-- Unattached rows older than 24 h are marked 'deleting', their objects removed, then the rows:
-- each step a conditional write, so a sweep that dies half-way is finished by the next one.
CREATE TABLE attachments (
  id               TEXT PRIMARY KEY,
  tenant_id        TEXT NOT NULL,
  -- Who uploaded it (`user:<sub>` or `guest:<ticket id>`): only they may attach it.
  uploader         TEXT NOT NULL,
  -- The ticket it was uploaded for (a reply), or NULL for a ticket not yet filed.
  for_ticket_id    TEXT,
  r2_key           TEXT NOT NULL UNIQUE,
  -- Display name only: cleaned, and never part of a key or a path.
  name             TEXT NOT NULL,
  -- Decided from the extension after the content check; never the client's Content-Type.
  content_type     TEXT NOT NULL,
  size             INTEGER NOT NULL DEFAULT 0,
  sha256           TEXT,
  state            TEXT NOT NULL CHECK (state IN ('uploading', 'ready', 'deleting')),
  ticket_id        TEXT,
  message_id       TEXT REFERENCES messages (id),
  created_at       INTEGER NOT NULL,
  attached_at      INTEGER
);
CREATE INDEX attachments_ticket ON attachments (ticket_id, message_id) WHERE message_id IS NOT NULL;
CREATE INDEX attachments_unattached ON attachments (created_at) WHERE message_id IS NULL;

-- Never holds a row. `INSERT INTO batch_guard SELECT 0 WHERE <condition>` fails its CHECK, and
-- with it the whole D1 batch (a transaction): how a batch asserts that an earlier conditional
-- write really happened.
CREATE TABLE batch_guard (
  ok  INTEGER NOT NULL CHECK (ok = 1)
);

-- The local outbox: where mail goes when MAIL_TRANSPORT is "outbox" (the default, and the demo's
-- /demo/outbox). One row per notification at most.
CREATE TABLE outbox (
  id               TEXT PRIMARY KEY,
  tenant_id        TEXT NOT NULL,
  notification_id  TEXT NOT NULL UNIQUE,
  message_id       TEXT NOT NULL,
  mail_from        TEXT NOT NULL,
  mail_to          TEXT NOT NULL,
  subject          TEXT NOT NULL,
  raw              TEXT NOT NULL,
  created_at       INTEGER NOT NULL
);
CREATE INDEX outbox_tenant ON outbox (tenant_id, created_at);

-- Inbound mail already handled, by Message-ID and envelope recipient per tenant: a second
-- delivery changes nothing, while one mail sent to two tickets' addresses reaches both.
CREATE TABLE inbound_mail (
  tenant_id    TEXT NOT NULL,
  message_id   TEXT NOT NULL,
  rcpt         TEXT NOT NULL,
  ticket_id    TEXT,
  outcome      TEXT NOT NULL,
  raw_key      TEXT,
  created_at   INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, message_id, rcpt)
);
-- Kept 30 days (worker/jobs/retention.ts).
CREATE INDEX inbound_mail_created ON inbound_mail (created_at);
