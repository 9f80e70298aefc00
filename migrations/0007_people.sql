-- People's data on request (docs/privacy.md): an export or an erasure finds one person's tickets
-- by their email, whatever its case, without reading the tenant's every ticket. Erased tickets keep
-- '[erased]' here, which no request names (the path takes only an email address).
CREATE INDEX tickets_requester_email ON tickets (tenant_id, lower(requester_email), id);
