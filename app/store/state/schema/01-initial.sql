-- Sync Center host state, schema 1. Only modules in app/store/state issue SQL against this database.
-- Times are milliseconds since the epoch. Ids are opaque strings assigned by the host (events, conflicts) or
-- by handlers (handler_id, item_id: at most 64 chars of [A-Za-z0-9._:-]).

-- events: Sync Results, one row per event a handler (or the host on its behalf) reported.
-- Invariants: append-only except user removal and retention, which deletes the lowest seq first so the newest
-- `eventRetention` rows survive; item_id is NULL for handler-wide events.
CREATE TABLE events (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  handler_id TEXT NOT NULL,
  item_id TEXT,
  level TEXT NOT NULL CHECK (level IN ('information', 'warning', 'error')),
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  link TEXT,
  context TEXT,
  time INTEGER NOT NULL
) STRICT;
CREATE INDEX events_by_item ON events (handler_id, item_id, seq);

-- conflicts: the open conflicts. A row leaves when the conflict is resolved, skipped or removed; retention never
-- drops an open conflict (that would hide a real decision). versions is a JSON array of
-- {side, label, modifiedTime, size}; data is the handler's private JSON needed to resolve it (NULL if none).
CREATE TABLE conflicts (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  handler_id TEXT NOT NULL,
  item_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  versions TEXT NOT NULL,
  data TEXT,
  detected_time INTEGER NOT NULL
) STRICT;
CREATE INDEX conflicts_by_kind ON conflicts (handler_id, kind);

-- handler_settings: the user's choices per handler. A missing row means enabled and active (the defaults).
CREATE TABLE handler_settings (
  handler_id TEXT PRIMARY KEY,
  enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  active INTEGER NOT NULL CHECK (active IN (0, 1))
) STRICT;

-- item_settings: per item, the user's enabled flag and the outcome of its last sync. A missing row means enabled
-- and never synced. last_state is a SyncState of the contract; last_errors counts errors of that last sync.
CREATE TABLE item_settings (
  handler_id TEXT NOT NULL,
  item_id TEXT NOT NULL,
  enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  last_sync_time INTEGER,
  last_state TEXT,
  last_errors INTEGER NOT NULL DEFAULT 0 CHECK (last_errors >= 0),
  PRIMARY KEY (handler_id, item_id)
) STRICT;

-- committed_items: items a handler discovered during a session (ProposeItem + CommitItem). They are listed with
-- the handler's own items until the handler lists them itself or the user deletes them.
CREATE TABLE committed_items (
  handler_id TEXT NOT NULL,
  item_id TEXT NOT NULL,
  name TEXT NOT NULL,
  comment TEXT NOT NULL,
  PRIMARY KEY (handler_id, item_id)
) STRICT;
