-- Free text from the sources is indexed by hash, not btree: a btree entry holds the value itself and
-- PostgreSQL refuses a row whose indexed text compresses to more than about 2.7 kB (SQLSTATE 54000),
-- so a 2 MB sales rep name sent a whole practice to the DLQ (chaos case poison-api). A hash index
-- stores 4 bytes per row whatever the text, and serves the equality look-ups these columns get.
DROP INDEX IF EXISTS curagenesis_practices_sales_rep_idx;
CREATE INDEX curagenesis_practices_sales_rep_idx ON curagenesis_practices USING hash (sales_rep);
DROP INDEX IF EXISTS curagenesis_practices_state_idx;
CREATE INDEX curagenesis_practices_state_idx ON curagenesis_practices USING hash (state);
DROP INDEX IF EXISTS curagenesis_practices_user_idx;
CREATE INDEX curagenesis_practices_user_idx ON curagenesis_practices USING hash (user_id);
DROP INDEX IF EXISTS curagenesis_orders_unlinked_user_idx;
CREATE INDEX curagenesis_orders_unlinked_user_idx ON curagenesis_orders USING hash (user_id) WHERE practice_id IS NULL;
