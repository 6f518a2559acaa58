-- Sync Center host state, schema 2: schedules (issue 8).

-- schedules: what the scheduler in app/schedules runs on its own. One row per schedule, in creation order (seq).
-- Invariants: id is host-assigned and stable; item_ids is a JSON array of item ids, or NULL for every enabled item
-- of the handler; trigger and conditions are JSON documents of the contract's scheduleTriggerSchema and
-- scheduleConditionsSchema (kind and parameters), validated before they are written. updated_time moves when the
-- user creates, edits or re-enables the schedule: timed triggers count from max(updated_time, last_run_time), so
-- an edit never makes an old occurrence look missed. last_run_time is when the schedule last started a sync.
CREATE TABLE schedules (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  handler_id TEXT NOT NULL,
  item_ids TEXT,
  trigger TEXT NOT NULL,
  conditions TEXT NOT NULL,
  created_time INTEGER NOT NULL,
  updated_time INTEGER NOT NULL,
  last_run_time INTEGER
) STRICT;
CREATE INDEX schedules_by_handler ON schedules (handler_id, seq);
