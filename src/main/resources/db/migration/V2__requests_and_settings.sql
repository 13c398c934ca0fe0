-- Every request Paddock sends to a model (CLI, gateway, benchmarks): status and analytics read it.
CREATE TABLE requests (
    id                VARCHAR(36)  PRIMARY KEY,
    model             VARCHAR(300) NOT NULL,
    provider          VARCHAR(100) NOT NULL,
    source            VARCHAR(20)  NOT NULL,
    started_at        BIGINT       NOT NULL,
    ttft_ms           DOUBLE PRECISION,
    duration_ms       DOUBLE PRECISION NOT NULL,
    prompt_tokens     INTEGER,
    completion_tokens INTEGER,
    outcome           VARCHAR(20)  NOT NULL,
    error             TEXT
);

CREATE INDEX requests_model_started ON requests (model, started_at);
CREATE INDEX requests_started ON requests (started_at);

-- Small persisted choices, such as the active model.
CREATE TABLE settings (
    name       VARCHAR(100) PRIMARY KEY,
    value      TEXT         NOT NULL,
    updated_at BIGINT       NOT NULL
);
