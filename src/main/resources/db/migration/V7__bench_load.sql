-- Load tests of a run: many requests at once (a concurrency level) or at a rate (Poisson arrivals).
CREATE TABLE bench_load (
    run_id         VARCHAR(36) NOT NULL REFERENCES bench_runs (id) ON DELETE CASCADE,
    concurrency    INTEGER     NOT NULL,
    request_rate   DOUBLE PRECISION,
    requests       INTEGER     NOT NULL,
    errors         INTEGER     NOT NULL,
    wall_ms        DOUBLE PRECISION NOT NULL,
    requests_per_s DOUBLE PRECISION NOT NULL,
    output_tps     DOUBLE PRECISION NOT NULL,
    latency_p50_ms DOUBLE PRECISION,
    latency_p90_ms DOUBLE PRECISION,
    latency_p99_ms DOUBLE PRECISION,
    ttft_p50_ms    DOUBLE PRECISION,
    PRIMARY KEY (run_id, concurrency)
);
