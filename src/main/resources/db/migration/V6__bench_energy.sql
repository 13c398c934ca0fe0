-- Energy a repetition took (RAPL package counters), when the machine lets Paddock read them.
ALTER TABLE bench_samples ADD COLUMN energy_j DOUBLE PRECISION;
