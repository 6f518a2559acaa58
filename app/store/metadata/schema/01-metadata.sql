-- replica: the one replica this store describes (exactly one row, id = 1).
-- Invariants: replica_id is a lower-case GUID and never changes; tick_count only grows and is ≥ every tick of
-- a version with replica key 0 in items and units; knowledge is an encoded Knowledge value (app/engine
-- knowledgeCodec) whose key map starts with replica_id (key 0) and names every replica key used in items and
-- units; forgotten knowledge is contained in knowledge.
CREATE TABLE replica (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  replica_id TEXT NOT NULL,
  id_formats TEXT NOT NULL,
  tick_count INTEGER NOT NULL CHECK (tick_count >= 0),
  knowledge BLOB NOT NULL,
  forgotten BLOB NOT NULL
) STRICT;

-- items: sync metadata of every item the replica holds or has deleted (tombstones, deleted = 1).
-- Invariants: (change_key, change_tick) is the item-level version (creation, rename or deletion), created_* the
-- creation version; keys index the knowledge key map. At most one live item per name is enforced by the engine.
CREATE TABLE items (
  item_id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created_key INTEGER NOT NULL,
  created_tick INTEGER NOT NULL,
  change_key INTEGER NOT NULL,
  change_tick INTEGER NOT NULL,
  deleted INTEGER NOT NULL CHECK (deleted IN (0, 1))
) STRICT;

-- Enumerating what a destination lacks walks this index from the destination's tick for each replica key:
-- the cost follows the number of changes, not of items.
CREATE INDEX items_by_change ON items (change_key, change_tick);
CREATE INDEX items_by_name ON items (name) WHERE deleted = 0;

-- units: versions of the change units (fields) of each item. hash is the content hash the replica computed for
-- the unit's value, NULL when the unit was removed. Rows belong to an existing items row.
CREATE TABLE units (
  item_id TEXT NOT NULL REFERENCES items (item_id) ON DELETE CASCADE,
  unit_id TEXT NOT NULL,
  change_key INTEGER NOT NULL,
  change_tick INTEGER NOT NULL,
  hash TEXT,
  PRIMARY KEY (item_id, unit_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX units_by_change ON units (change_key, change_tick);
