-- One style seed per song, reused by every clip and retry; a pending request to (re)plan clips.
ALTER TABLE songs ADD COLUMN style_seed BIGINT;
ALTER TABLE songs ADD COLUMN clips_requested_at TIMESTAMP WITH TIME ZONE;

-- The clip ledger: the truth about every clip and its current job. A job reaches Redis only after
-- its row is committed; job_sent_at stays NULL until it has, so the relay can send what was missed.
CREATE TABLE clips (
    id                   UUID          PRIMARY KEY,
    song_id              UUID          NOT NULL REFERENCES songs (id) ON DELETE CASCADE,
    section_id           VARCHAR(32)   NOT NULL,
    section_type         VARCHAR(16)   NOT NULL,
    section_display_name VARCHAR(64)   NOT NULL,
    clip_index           INTEGER       NOT NULL,
    start_sec            DOUBLE PRECISION NOT NULL,
    end_sec              DOUBLE PRECISION NOT NULL,
    duration_sec         DOUBLE PRECISION NOT NULL,
    start_beat           INTEGER,
    end_beat             INTEGER,
    fps                  INTEGER       NOT NULL,
    num_frames           INTEGER       NOT NULL,
    status               VARCHAR(16)   NOT NULL,
    attempts             INTEGER       NOT NULL,
    max_attempts         INTEGER       NOT NULL,
    next_attempt_at      TIMESTAMP WITH TIME ZONE,
    error                VARCHAR(2000),
    prompt               VARCHAR(2000) NOT NULL,
    style_seed           BIGINT        NOT NULL,
    video_url            VARCHAR(1000),
    job_id               UUID          NOT NULL,
    job_sent_at          TIMESTAMP WITH TIME ZONE,
    dead_lettered_at     TIMESTAMP WITH TIME ZONE,
    created_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    completed_at         TIMESTAMP WITH TIME ZONE,
    CONSTRAINT clips_order_uk UNIQUE (song_id, clip_index),
    CONSTRAINT clips_job_uk UNIQUE (job_id),
    CONSTRAINT clips_status_ck CHECK (status IN ('queued', 'processing', 'completed', 'failed')),
    CONSTRAINT clips_frames_ck CHECK (num_frames >= 1)
);
CREATE INDEX clips_unsent_idx ON clips (job_sent_at, status);
CREATE INDEX clips_retry_idx ON clips (status, next_attempt_at);
