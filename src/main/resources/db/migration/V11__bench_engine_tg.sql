-- The engine's own generation speed (llama-server's timings) beside the client-side figure.
ALTER TABLE bench_samples ADD COLUMN engine_tg_tps DOUBLE PRECISION;
