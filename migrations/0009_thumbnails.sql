-- Migration 0009: thumbnails of image attachments (docs/api.md, "Thumbnails").
-- The widget makes a small WebP/JPEG/PNG of a picked image in the browser and sends it after the
-- upload (PUT /uploads/{id}/thumbnail); the server checks it like any upload (type by its bytes,
-- at most 16 KB, at most 256 px a side, read from its header) and keeps it in R2 next to the
-- original, at a key made from the original's (worker/attachments/service.ts, thumbnailKey).
-- The columns say there is one: written, by the uploader of an upload not yet attached, before
-- its bytes go to R2, and cleared if storing them fails. The thumbnail goes wherever its upload
-- goes: attached with it, swept with it when never attached. Mail attachments have none.
ALTER TABLE attachments ADD COLUMN thumb_type TEXT CHECK (thumb_type IN ('image/webp', 'image/jpeg', 'image/png'));
ALTER TABLE attachments ADD COLUMN thumb_size INTEGER;
ALTER TABLE attachments ADD COLUMN thumb_width INTEGER;
ALTER TABLE attachments ADD COLUMN thumb_height INTEGER;
