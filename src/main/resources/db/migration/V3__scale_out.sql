-- Several instances on one database (README "Scaling out").

-- Who analyses a song and until when: an instance claims a song with a conditional UPDATE and renews
-- its lease while the song waits in its queue or is analysed; a song whose lease expired (its
-- instance died) is taken over by another. analysis_runs counts analyses actually started.
ALTER TABLE songs ADD COLUMN analysis_owner VARCHAR(200);
ALTER TABLE songs ADD COLUMN analysis_lease_until TIMESTAMP WITH TIME ZONE;
ALTER TABLE songs ADD COLUMN analysis_runs INTEGER NOT NULL DEFAULT 0;
CREATE INDEX songs_lease_idx ON songs (status, analysis_lease_until);

-- The built-in worker (consumer name) that took a clip's current job.
ALTER TABLE clips ADD COLUMN worker VARCHAR(200);

-- Read locks on inbox files shared by all instances (camel-sql JdbcOrphanLockAwareIdempotentRepository):
-- one row per file being taken; createdAt is refreshed while the lock is held, so a lock left by a
-- dead instance expires. The layout is camel-sql's, with a longer messageId.
CREATE TABLE CAMEL_MESSAGEPROCESSED (
    processorName VARCHAR(255)  NOT NULL,
    messageId     VARCHAR(1024) NOT NULL,
    createdAt     TIMESTAMP     NOT NULL,
    PRIMARY KEY (processorName, messageId)
);
