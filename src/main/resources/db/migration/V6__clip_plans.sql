-- A song's plan is marked sent as one row (issue 13 item 5): the clips a plan wrote carry its id and keep
-- job_sent_at NULL; the plan's first send (one scripted call for all its jobs) sets clip_plans.sent_at
-- instead of updating every clip row. A clip's effective send time is COALESCE(clips.job_sent_at, its
-- plan's sent_at). A clip that leaves its plan's first send (a retry, a reclaimed job, a job Redis lost,
-- one the relay sent) is marked on its own row as before: reissue and markUnsent set its plan_id to NULL,
-- the relay sets job_sent_at. One plan per song (a re-plan replaces all of the song's clips), so the
-- song is the key: the plan's transaction has the song row locked already, and needs no other index.
CREATE TABLE clip_plans (
    song_id    UUID PRIMARY KEY REFERENCES songs (id) ON DELETE CASCADE,
    id         UUID NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    sent_at    TIMESTAMP WITH TIME ZONE
);
-- the relay's look for plans whose send did not happen
CREATE INDEX clip_plans_unsent_idx ON clip_plans (sent_at, created_at);

ALTER TABLE clips ADD COLUMN plan_id UUID;
-- the relay's look for single unsent jobs (plan_id NULL) must not walk the clips of sent plans, whose
-- job_sent_at stays NULL
DROP INDEX clips_unsent_idx;
CREATE INDEX clips_unsent_idx ON clips (job_sent_at, plan_id, status);
