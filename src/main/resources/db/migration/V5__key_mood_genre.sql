-- Key, mood and genre of an analysed song and of its sections (SongDescriber). mood and genre hold the
-- API's JSON objects; mood_tags a JSON array. All null for analyses stored before this migration.
ALTER TABLE songs ADD COLUMN song_key VARCHAR(16);
ALTER TABLE songs ADD COLUMN key_confidence DOUBLE PRECISION;
ALTER TABLE songs ADD COLUMN mood VARCHAR(1000);
ALTER TABLE songs ADD COLUMN genre VARCHAR(1000);
ALTER TABLE sections ADD COLUMN section_key VARCHAR(16);
ALTER TABLE sections ADD COLUMN energy_level DOUBLE PRECISION;
ALTER TABLE sections ADD COLUMN mood_tags VARCHAR(300);
