-- Models the store knows: one row per name, facts read from the blob's GGUF header at import.
-- Times are epoch milliseconds (UTC). The SQL is common to SQLite and PostgreSQL.
CREATE TABLE models (
    name            VARCHAR(200) PRIMARY KEY,
    digest          VARCHAR(71)  NOT NULL,
    size_bytes      BIGINT       NOT NULL,
    format          VARCHAR(20)  NOT NULL,
    architecture    VARCHAR(100),
    parameter_count BIGINT,
    quantization    VARCHAR(40),
    context_length  BIGINT,
    source          TEXT,
    added_at        BIGINT       NOT NULL,
    last_used_at    BIGINT
);

CREATE INDEX models_digest ON models (digest);
