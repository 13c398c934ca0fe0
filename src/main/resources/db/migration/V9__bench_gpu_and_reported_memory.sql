-- The runner's GPU memory (NVIDIA) and, for remote providers, the memory they report for the loaded model.
ALTER TABLE bench_runs ADD COLUMN gpu_memory_bytes BIGINT;
ALTER TABLE bench_runs ADD COLUMN reported_bytes BIGINT;
ALTER TABLE bench_runs ADD COLUMN reported_vram_bytes BIGINT;
