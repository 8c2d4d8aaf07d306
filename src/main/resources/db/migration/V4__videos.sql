-- The music video of a song (SPEC §10): one row per song once a composition was requested.
-- state: idle (nothing running), composing (claimed by owner until lease_until, renewed with the
-- progress), failed (the last composition failed: error). clips_stamp is MAX(clips.updated_at) when
-- the current or last composition began; the served video (file_path and what follows) was composed
-- from the clips as they were at composed_stamp, so a clip changed since (retried, re-planned) makes it
-- stale. requested_at: a composition is wanted (the last clip completed, or POST .../video).
CREATE TABLE videos (
    song_id         UUID          PRIMARY KEY REFERENCES songs (id) ON DELETE CASCADE,
    state           VARCHAR(16)   NOT NULL,
    requested_at    TIMESTAMP WITH TIME ZONE,
    owner           VARCHAR(200),
    lease_until     TIMESTAMP WITH TIME ZONE,
    progress        INTEGER       NOT NULL DEFAULT 0,
    runs            INTEGER       NOT NULL DEFAULT 0,
    clips_stamp     TIMESTAMP WITH TIME ZONE,
    error           VARCHAR(2000),
    failed_stamp    TIMESTAMP WITH TIME ZONE,
    file_path       VARCHAR(1000),
    composed_stamp  TIMESTAMP WITH TIME ZONE,
    composed_at     TIMESTAMP WITH TIME ZONE,
    duration_sec    DOUBLE PRECISION,
    width           INTEGER,
    height          INTEGER,
    fps             INTEGER,
    size_bytes      BIGINT,
    stream_copied   BOOLEAN,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT videos_state_ck CHECK (state IN ('idle', 'composing', 'failed'))
);
CREATE INDEX videos_work_idx ON videos (state, requested_at);
