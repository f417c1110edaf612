-- The SQLite shell's query workload (bench/users.sh): an in-memory
-- database filled, indexed, queried, updated and deleted from, about what
-- an application's database layer does. Every statement prints something
-- checkable, and the output is compared with the native shell's.
-- Temporary tables and sorts stay in memory: the wasm shell has no
-- writable temporary directory.
PRAGMA temp_store = MEMORY;
CREATE TABLE item(id INTEGER PRIMARY KEY, grp INT, price REAL, name TEXT);
CREATE TABLE sale(id INTEGER PRIMARY KEY, item INT, qty INT, day INT);
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 30000)
INSERT INTO item SELECT x, (x * 7919) % 97, ((x * 31337) % 10007) / 100.0,
	printf('item-%06d-%s', (x * 104729) % 1000003, substr('abcdefghijklmnop', x % 13, 4)) FROM c;
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000)
INSERT INTO sale SELECT x, 1 + (x * 48271) % 30000, 1 + x % 7, x % 365 FROM c;
CREATE INDEX item_grp ON item(grp);
CREATE INDEX sale_item ON sale(item);
SELECT count(*), sum(grp), round(sum(price), 2), max(name) FROM item;
SELECT grp, count(*), round(avg(price), 3) FROM item GROUP BY grp ORDER BY 3 DESC, 1 LIMIT 5;
SELECT i.grp, sum(s.qty), round(sum(s.qty * i.price), 2)
	FROM sale s JOIN item i ON i.id = s.item
	WHERE s.day BETWEEN 100 AND 200 GROUP BY i.grp ORDER BY 3 DESC LIMIT 5;
SELECT name FROM item WHERE name LIKE '%-abcd' ORDER BY name DESC LIMIT 3;
SELECT day, count(DISTINCT item) FROM sale GROUP BY day ORDER BY 2 DESC, 1 LIMIT 3;
UPDATE item SET price = price * 1.1, name = upper(name) WHERE grp % 3 = 0;
SELECT count(*), round(sum(price), 2) FROM item WHERE name GLOB 'ITEM-*';
DELETE FROM sale WHERE qty = 3 OR day % 10 = 0;
SELECT count(*), sum(qty), sum(day) FROM sale;
SELECT i.id, i.name, t.total FROM item i
	JOIN (SELECT item, sum(qty) AS total FROM sale GROUP BY item) t ON t.item = i.id
	ORDER BY t.total DESC, i.id LIMIT 5;
