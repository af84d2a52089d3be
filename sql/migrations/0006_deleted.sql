-- Version 6: the deleted table. Every object a write tool deletes, or sync finds deleted
-- upstream, keeps its last raw JSON here (nothing before this version was kept).
CREATE TABLE IF NOT EXISTS deleted (
    resource        TEXT NOT NULL,
    id              TEXT NOT NULL,
    athlete_id      TEXT NOT NULL,
    raw             TEXT NOT NULL,
    deleted_at      TEXT NOT NULL,
    how             TEXT NOT NULL CHECK (how IN ('tool', 'sync'))
);
CREATE INDEX IF NOT EXISTS deleted_when ON deleted (deleted_at);
CREATE INDEX IF NOT EXISTS deleted_object ON deleted (resource, id);
