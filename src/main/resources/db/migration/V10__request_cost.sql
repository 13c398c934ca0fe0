-- What a request cost at the list price of its day (null: unknown, e.g. local models or unpriced ones).
ALTER TABLE requests ADD COLUMN cost_usd DOUBLE PRECISION;
