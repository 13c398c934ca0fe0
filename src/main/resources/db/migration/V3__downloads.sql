-- Download jobs: what is being pulled, how far it got, how it ended. The bytes live in partial/<id>/.
CREATE TABLE downloads (
    id           VARCHAR(32)  PRIMARY KEY,
    name         VARCHAR(200) NOT NULL,
    source       TEXT         NOT NULL,
    state        VARCHAR(20)  NOT NULL,
    size_bytes   BIGINT,
    done_bytes   BIGINT       NOT NULL,
    sha256       VARCHAR(64),
    error        TEXT,
    pid          BIGINT,
    created_at   BIGINT       NOT NULL,
    updated_at   BIGINT       NOT NULL
);

CREATE INDEX downloads_name ON downloads (name);
