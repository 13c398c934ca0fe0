-- A model's multimodal projector (mmproj), loaded beside it for images: its blob's digest and size; null when text-only.
ALTER TABLE models ADD COLUMN projector_digest VARCHAR(71);
ALTER TABLE models ADD COLUMN projector_size BIGINT;
