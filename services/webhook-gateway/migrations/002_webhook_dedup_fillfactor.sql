-- Every row is updated once, milliseconds after its insert (pending → accepted). With the default
-- fillfactor (100) the insert fills the page, so the new version goes to another page and both
-- indexes get an entry for it; with room left on each page the update is HOT: the indexes are not
-- touched and the old version is pruned in place. (ADR 0023, addendum 11.)
ALTER TABLE webhook_dedup SET (fillfactor = 50);
