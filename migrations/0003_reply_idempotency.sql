-- Migration 0003: replies take an Idempotency-Key too (worker/tickets/reply.ts). A reply's key
-- is scoped to the caller and the ticket (its `principal` names both) and records the message
-- the first request wrote, so that a retry answers with it instead of posting a second one.
-- NULL for a ticket's filing, whose record is its ticket.
ALTER TABLE idempotency_keys ADD COLUMN message_id TEXT REFERENCES messages (id);
