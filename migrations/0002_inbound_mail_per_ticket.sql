-- One mail is stored once per ticket, whatever addresses it came in through (a reply-all to the
-- signed reply address with Cc: the support address is one message, not two). The old key, per
-- envelope recipient, stays: it is implied by this one, and the version before still writes rows
-- that fit both (ticket_key is computed, never written).
ALTER TABLE inbound_mail ADD COLUMN ticket_key TEXT GENERATED ALWAYS AS (coalesce(ticket_id, 'new')) VIRTUAL;

-- Records of a mail already taken twice: keep the first, so the unique index can be built.
DELETE FROM inbound_mail
WHERE rowid NOT IN (SELECT min(rowid) FROM inbound_mail GROUP BY tenant_id, message_id, ticket_key);

CREATE UNIQUE INDEX inbound_mail_per_ticket ON inbound_mail (tenant_id, message_id, ticket_key);
