-- The YouTube-comments data model. Columns match the seed's CSVs exactly, so they load unchanged.
-- Applied by the datasource CLI (native) and by the postgres image's initdb hook (docker-compose).
-- Replica identity stays at PostgreSQL's default (primary key): the pipeline must be correct
-- without full before-images, as it will be on users' databases.

CREATE TABLE IF NOT EXISTS videos (
    video_id   varchar(255) PRIMARY KEY,
    title      text         NOT NULL,
    category   varchar(100),
    created_at timestamp    DEFAULT now(),
    updated_at timestamp    DEFAULT now()
);

CREATE TABLE IF NOT EXISTS users (
    channel_id   varchar(255) PRIMARY KEY,
    channel_name varchar(255) NOT NULL,
    created_at   timestamp    DEFAULT now(),
    updated_at   timestamp    DEFAULT now()
);

CREATE TABLE IF NOT EXISTS comments (
    comment_id      varchar(255) PRIMARY KEY,
    video_id        varchar(255) REFERENCES videos (video_id) ON DELETE CASCADE,
    channel_id      varchar(255) REFERENCES users (channel_id) ON DELETE CASCADE,
    comment_text    text         NOT NULL,
    likes           integer      DEFAULT 0,
    replies         integer      DEFAULT 0,
    published_at    timestamp,
    sentiment_label varchar(50),
    country_code    varchar(10),
    created_at      timestamp    DEFAULT now(),
    updated_at      timestamp    DEFAULT now(),
    deleted_at      timestamp    -- a soft delete (not in the seed's CSV: it loads as NULL)
);

-- Databases created before deleted_at existed gain it (at the end, as in the CREATE above).
ALTER TABLE comments ADD COLUMN IF NOT EXISTS deleted_at timestamp;

CREATE INDEX IF NOT EXISTS idx_comments_video_id ON comments (video_id);
CREATE INDEX IF NOT EXISTS idx_comments_channel_id ON comments (channel_id);
CREATE INDEX IF NOT EXISTS idx_comments_published_at ON comments (published_at);
CREATE INDEX IF NOT EXISTS idx_comments_video_published ON comments (video_id, published_at DESC);

-- Keeps updated_at current on every UPDATE, whatever client writes the row.
CREATE OR REPLACE FUNCTION set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE OR REPLACE TRIGGER videos_set_updated_at BEFORE UPDATE ON videos
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE OR REPLACE TRIGGER users_set_updated_at BEFORE UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE OR REPLACE TRIGGER comments_set_updated_at BEFORE UPDATE ON comments
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
