-- The answers of quality runs and how each was graded (passed is NULL when it could not be graded here).
CREATE TABLE quality_answers (
    run_id   VARCHAR(36)  NOT NULL REFERENCES bench_runs (id) ON DELETE CASCADE,
    task_id  VARCHAR(200) NOT NULL,
    category VARCHAR(40)  NOT NULL,
    passed   BOOLEAN,
    detail   TEXT,
    answer   TEXT,
    PRIMARY KEY (run_id, task_id)
);
