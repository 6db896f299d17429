-- Jobs whose owner cancelled them: a consumer that finds its input's job here does no work for it.
CREATE TABLE ${flyway:defaultSchema}.cancelled_jobs (
    job_id       uuid        PRIMARY KEY,
    cancelled_at timestamptz NOT NULL DEFAULT now()
);
