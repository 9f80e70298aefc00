-- Migration 0005: the agent console (<edgedesk-console>, docs/console.md).
-- Each part below belongs to one area of the console; an area adds its own columns and indexes
-- in its part, so that they read together.

-- ── Staff directory ───────────────────────────────────────────────────────────────────────
-- Staff are known from their signed embed tokens: the first request of an agent or admin adds
-- them, later ones refresh name, email, role and last_seen_at (worker/auth/staff.ts). An admin
-- deactivates a colleague: their token still verifies, but console routes answer 403 and the
-- assignee picker leaves them out. `tickets.assignee` holds an agent's id (the token's `sub`).
CREATE TABLE agents (
  tenant_id       TEXT NOT NULL REFERENCES tenants (id),
  id              TEXT NOT NULL,
  name            TEXT NOT NULL,
  email           TEXT NOT NULL,
  role            TEXT NOT NULL CHECK (role IN ('agent', 'admin')),
  first_seen_at   INTEGER NOT NULL,
  last_seen_at    INTEGER NOT NULL,
  deactivated_at  INTEGER,
  PRIMARY KEY (tenant_id, id)
);

-- ── Audit log ─────────────────────────────────────────────────────────────────────────────
-- Every staff action, one row each, written in the same batch as the action (worker/db/audit.ts).
-- Append-only: the triggers refuse any UPDATE or DELETE. `detail` is JSON of what changed
-- (from/to, reason, message id); never a message's text or the sensitive value.
CREATE TABLE audit_log (
  id          TEXT PRIMARY KEY,
  tenant_id   TEXT NOT NULL REFERENCES tenants (id),
  ticket_id   TEXT,
  actor_id    TEXT NOT NULL,
  actor_name  TEXT NOT NULL,
  action      TEXT NOT NULL,
  detail      TEXT NOT NULL DEFAULT '{}',
  created_at  INTEGER NOT NULL
);
CREATE INDEX audit_log_tenant ON audit_log (tenant_id, created_at DESC, id DESC);
CREATE INDEX audit_log_ticket ON audit_log (tenant_id, ticket_id, created_at DESC, id DESC) WHERE ticket_id IS NOT NULL;
CREATE INDEX audit_log_actor ON audit_log (tenant_id, actor_id, created_at DESC, id DESC);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;

-- ── Canned replies ────────────────────────────────────────────────────────────────────────
-- Per tenant, managed by its admins; bodies may hold the placeholders {{customer.name}},
-- {{ticket.number}}, {{agent.name}} and {{tenant.name}} (checked when saved).
CREATE TABLE canned_replies (
  id          TEXT PRIMARY KEY,
  tenant_id   TEXT NOT NULL REFERENCES tenants (id),
  title       TEXT NOT NULL,
  body        TEXT NOT NULL,
  created_by  TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  UNIQUE (tenant_id, title)
);

-- ── Queue ─────────────────────────────────────────────────────────────────────────────────
-- waiting_since: when the oldest customer message without a staff answer arrived (set on
-- filing and on a customer's reply when unset; cleared by a staff public reply). The queue's
-- "waiting time" and its sort.

-- ── Actions ───────────────────────────────────────────────────────────────────────────────

-- ── Escalation ────────────────────────────────────────────────────────────────────────────
-- A reseller's ticket escalated to its provider, and the provider's linked ticket (worker/tickets/escalation.ts).
-- escalated_to: on the reseller's ticket, the provider's ticket it was escalated to (set once: a
-- ticket escalates at most once). escalated_from: on the provider's ticket, the reseller's ticket it
-- came from. Ticket ids are unique across tenants, so each names the other ticket; the tenants are
-- the reseller and its parent. The provider's public answer on the linked ticket is relayed into
-- the reseller's ticket as an internal note, found through escalated_from.
ALTER TABLE tickets ADD COLUMN escalated_to TEXT REFERENCES tickets (id);
ALTER TABLE tickets ADD COLUMN escalated_from TEXT REFERENCES tickets (id);
CREATE UNIQUE INDEX tickets_escalated_from ON tickets (escalated_from) WHERE escalated_from IS NOT NULL;
