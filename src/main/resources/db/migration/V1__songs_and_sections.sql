-- Songs as uploaded, with the state of their analysis.
CREATE TABLE songs (
    id                UUID PRIMARY KEY,
    title             VARCHAR(300),
    original_filename VARCHAR(300),
    content_type      VARCHAR(64)   NOT NULL,
    format            VARCHAR(16)   NOT NULL,
    size_bytes        BIGINT        NOT NULL,
    sha256            CHAR(64)      NOT NULL,
    storage_path      VARCHAR(1024) NOT NULL,
    duration_sec      DOUBLE PRECISION NOT NULL,
    bpm               DOUBLE PRECISION,
    beat_times        TEXT,
    status            VARCHAR(16)   NOT NULL,
    progress          INTEGER       NOT NULL DEFAULT 0,
    analysis_source   VARCHAR(16),
    fallback_reason   VARCHAR(1000),
    error             VARCHAR(2000),
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    analyzed_at       TIMESTAMP WITH TIME ZONE,
    CONSTRAINT songs_sha256_uk UNIQUE (sha256),
    CONSTRAINT songs_status_ck CHECK (status IN ('uploaded', 'analyzing', 'analyzed', 'failed')),
    CONSTRAINT songs_progress_ck CHECK (progress BETWEEN 0 AND 100)
);
CREATE INDEX songs_status_idx ON songs (status);
CREATE INDEX songs_created_idx ON songs (created_at);

-- Named sections of an analysed song (SPEC §4.9); replaced as a whole on re-analysis.
CREATE TABLE sections (
    song_id          UUID         NOT NULL REFERENCES songs (id) ON DELETE CASCADE,
    id               VARCHAR(32)  NOT NULL,
    section_index    INTEGER      NOT NULL,
    type             VARCHAR(16)  NOT NULL,
    type_soft        VARCHAR(16)  NOT NULL,
    display_name     VARCHAR(64)  NOT NULL,
    raw_label        INTEGER      NOT NULL,
    repetition_group INTEGER      NOT NULL,
    start_sec        DOUBLE PRECISION NOT NULL,
    end_sec          DOUBLE PRECISION NOT NULL,
    confidence       DOUBLE PRECISION NOT NULL,
    energy           DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (song_id, id),
    CONSTRAINT sections_order_uk UNIQUE (song_id, section_index)
);
