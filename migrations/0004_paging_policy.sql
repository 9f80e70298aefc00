-- The paging policy (docs/alerts.md): every decision to page is a row, including the ones that
-- did not page ('suppressed', with the reason), and a customer closing the ticket ends its alert
-- as 'closed_by_customer', which is not an acknowledgement. SQLite cannot change a CHECK, so the
-- table is rebuilt, and alert_attempts (which points at it) is set aside and rebuilt after it.

CREATE TABLE alerts_next (
  id               TEXT PRIMARY KEY,
  tenant_id        TEXT NOT NULL,
  ticket_id        TEXT NOT NULL REFERENCES tickets (id),
  trigger          TEXT NOT NULL CHECK (trigger IN ('created', 'raised', 'customer_reply')),
  trigger_key      TEXT NOT NULL,
  priority         TEXT NOT NULL,
  state            TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'acknowledged', 'closed_by_customer', 'exhausted', 'suppressed')),
  -- Why a 'suppressed' alert paged nobody: guest, no_service, cooldown or open_alert.
  suppressed_reason TEXT CHECK ((state = 'suppressed') = (suppressed_reason IS NOT NULL)),
  -- Which of the tenant's contacts (in order) this alert is for now.
  contact_index    INTEGER NOT NULL DEFAULT 0,
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  INTEGER NOT NULL,
  lease_until      INTEGER,
  delivered_at     INTEGER,
  escalate_at      INTEGER,
  acknowledged_at  INTEGER,
  acknowledged_by  TEXT,
  -- When the customer closed the ticket while the alert was open.
  closed_at        INTEGER,
  last_error       TEXT,
  created_at       INTEGER NOT NULL,
  UNIQUE (tenant_id, trigger_key)
);

INSERT INTO alerts_next (id, tenant_id, ticket_id, trigger, trigger_key, priority, state, contact_index, attempts,
  next_attempt_at, lease_until, delivered_at, escalate_at, acknowledged_at, acknowledged_by, last_error, created_at)
SELECT id, tenant_id, ticket_id, trigger, trigger_key, priority, state, contact_index, attempts,
  next_attempt_at, lease_until, delivered_at, escalate_at, acknowledged_at, acknowledged_by, last_error, created_at
FROM alerts;

CREATE TABLE alert_attempts_kept AS SELECT * FROM alert_attempts;
DROP TABLE alert_attempts;
DROP TABLE alerts;
ALTER TABLE alerts_next RENAME TO alerts;

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
INSERT INTO alert_attempts SELECT id, alert_id, tenant_id, contact_index, channel, target, ok, status_code, error, created_at
FROM alert_attempts_kept;
DROP TABLE alert_attempts_kept;
CREATE INDEX alert_attempts_alert ON alert_attempts (alert_id, created_at);

CREATE INDEX alerts_due ON alerts (next_attempt_at) WHERE state = 'pending';
CREATE INDEX alerts_escalation ON alerts (escalate_at) WHERE state = 'delivered';
CREATE INDEX alerts_ticket ON alerts (ticket_id, created_at);
