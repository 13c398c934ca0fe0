-- The runner's peak resident memory after a run, and the context it ran with (local models).
ALTER TABLE bench_runs ADD COLUMN peak_rss_bytes BIGINT;
ALTER TABLE bench_runs ADD COLUMN context_size INTEGER;
