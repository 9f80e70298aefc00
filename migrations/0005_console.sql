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
-- "waiting time" and its sort. respond_by: the expected-response deadline of that wait, computed
-- with it (docs/console.md, "Queue"). Both in the statements that write the ticket (db/tickets.ts).
ALTER TABLE tickets ADD COLUMN waiting_since INTEGER;
ALTER TABLE tickets ADD COLUMN respond_by INTEGER;
-- Tickets filed before: waiting since the first customer message after the last public staff
-- answer (none: not waiting). Their deadline stays unknown (null): it needs the tenant's calendar.
UPDATE tickets SET waiting_since = (
  SELECT min(m.created_at) FROM messages m
  WHERE m.ticket_id = tickets.id AND m.author_kind = 'customer'
    AND m.created_at > coalesce((
      SELECT max(s.created_at) FROM messages s
      WHERE s.ticket_id = tickets.id AND s.author_kind = 'agent' AND s.internal = 0), 0))
WHERE status != 'closed';
-- The saved views at 100k tickets (worker/db/queue.ts): each sparse view reads an index holding
-- exactly its tickets in its order, so a page reads about a page of rows. `all`, `waiting` and
-- `on_hold` use tickets_tenant_activity and tickets_tenant_status_activity (0001); emergencies
-- tickets_priority_activity, one priority at a time; a customer's other tickets
-- tickets_requester_activity.
-- closing_soon is listed closing first (answered_at, then id): tickets_answered_due gains the id,
-- so the index gives that order and a keyset page reads only its rows (auto-close reads the same
-- order, jobs/auto-close.ts). Same name, same condition: no ticket write costs more.
DROP INDEX tickets_answered_due;
CREATE INDEX tickets_answered_due ON tickets (tenant_id, answered_at, id) WHERE status = 'answered';
CREATE INDEX tickets_open_activity ON tickets (tenant_id, last_activity_at DESC, id DESC)
  WHERE status IN ('open', 'in_progress');
CREATE INDEX tickets_assignee_activity ON tickets (tenant_id, assignee, last_activity_at DESC, id DESC)
  WHERE assignee IS NOT NULL AND status != 'closed';
CREATE INDEX tickets_unassigned_activity ON tickets (tenant_id, last_activity_at DESC, id DESC)
  WHERE assignee IS NULL AND status != 'closed';
CREATE INDEX tickets_priority_activity ON tickets (tenant_id, priority, last_activity_at DESC, id DESC)
  WHERE status != 'closed';
-- sort=waiting: the waiting oldest first, then the rest newest activity first, as one key.
CREATE INDEX tickets_waiting_order ON tickets (tenant_id, coalesce(waiting_since, 9007199254740991 - last_activity_at), id);
-- The alerts view: tickets with an alert still pending, delivered or acknowledged.
CREATE INDEX alerts_open_by_ticket ON alerts (tenant_id, ticket_id)
  WHERE state IN ('pending', 'delivered', 'acknowledged');

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
