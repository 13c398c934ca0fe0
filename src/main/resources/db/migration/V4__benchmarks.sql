-- Benchmark runs and their repetitions, with everything that produced them.
CREATE TABLE bench_runs (
    id            VARCHAR(36)  PRIMARY KEY,
    model         VARCHAR(300) NOT NULL,
    provider      VARCHAR(100) NOT NULL,
    digest        VARCHAR(71),
    quantization  VARCHAR(40),
    engine        VARCHAR(200),
    hardware      TEXT,
    settings      TEXT         NOT NULL,
    suite         VARCHAR(40)  NOT NULL,
    suite_version VARCHAR(20)  NOT NULL,
    started_at    BIGINT       NOT NULL,
    finished_at   BIGINT,
    status        VARCHAR(20)  NOT NULL,
    error         TEXT
);

CREATE INDEX bench_runs_model ON bench_runs (model, started_at);

CREATE TABLE bench_samples (
    run_id        VARCHAR(36)  NOT NULL REFERENCES bench_runs (id) ON DELETE CASCADE,
    repetition    INTEGER      NOT NULL,
    prompt_tokens INTEGER      NOT NULL,
    output_tokens INTEGER      NOT NULL,
    pp_tps        DOUBLE PRECISION,
    tg_tps        DOUBLE PRECISION,
    ttft_ms       DOUBLE PRECISION,
    tpot_ms       DOUBLE PRECISION,
    e2e_ms        DOUBLE PRECISION NOT NULL,
    itl_ms        TEXT         NOT NULL,
    error         TEXT,
    PRIMARY KEY (run_id, repetition, prompt_tokens)
);
