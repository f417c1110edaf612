-- tests/wasi/sqlite.sql: the script of the SQLite acceptance test
-- (tests/wasi/sqlite.sh). It runs twice over: the part before the line
-- "-- @reopen" builds and queries a database file; the part after it runs
-- in a fresh shell process on the same file, so it proves the file
-- persisted. Everything here must be deterministic: no random(), no
-- 'now', no compile options, no file names (the native and the wasm shell
-- see the database under different paths).

.bail off
.headers off
.mode list
.print == schema

CREATE TABLE dept (
  id    INTEGER PRIMARY KEY,
  name  TEXT NOT NULL UNIQUE,
  floor INTEGER
);
CREATE TABLE emp (
  id      INTEGER PRIMARY KEY,
  name    TEXT NOT NULL,
  dept_id INTEGER REFERENCES dept(id),
  salary  REAL,
  hired   TEXT,
  boss    INTEGER REFERENCES emp(id)
);
CREATE TABLE sale (
  id     INTEGER PRIMARY KEY,
  emp_id INTEGER NOT NULL REFERENCES emp(id),
  day    INTEGER,
  amount REAL,
  note   TEXT
);
CREATE TABLE kv (k TEXT PRIMARY KEY, v BLOB) WITHOUT ROWID;
.tables
.schema dept

.print == fill
INSERT INTO dept(id, name, floor) VALUES
  (1, 'Engineering', 3), (2, 'Sales', 1), (3, 'Support', 1),
  (4, 'Finance', 2), (5, 'Legal', 2), (6, 'Research', 4), (7, 'Empty', NULL);

-- 2500 employees, deterministic pseudo-random attributes from a small LCG.
WITH RECURSIVE
  seq(n, r) AS (
    SELECT 1, 12345
    UNION ALL
    SELECT n + 1, (r * 1103515245 + 12345) % 2147483648 FROM seq WHERE n < 2500
  )
INSERT INTO emp(id, name, dept_id, salary, hired, boss)
SELECT n,
       'emp' || substr('0000' || n, -4, 4) || '_' ||
         char(65 + r % 26, 97 + (r / 26) % 26, 97 + (r / 676) % 26),
       1 + r % 6,
       round(30000 + (r % 90001) + (r % 100) / 100.0, 2),
       printf('%04d-%02d-%02d', 2000 + r % 24, 1 + (r / 24) % 12, 1 + (r / 288) % 28),
       CASE WHEN n <= 6 THEN NULL ELSE 1 + (r / 7) % 6 END
FROM seq;

-- 20000 sales.
WITH RECURSIVE
  seq(n, r) AS (
    SELECT 1, 777
    UNION ALL
    SELECT n + 1, (r * 1103515245 + 12345) % 2147483648 FROM seq WHERE n < 20000
  )
INSERT INTO sale(emp_id, day, amount, note)
SELECT 1 + r % 2500, r % 365, (r % 100000) / 100.0,
       CASE r % 5 WHEN 0 THEN NULL WHEN 1 THEN 'rush' WHEN 2 THEN 'bulk order'
                  WHEN 3 THEN 'Repeat Customer' ELSE 'web: ' || (r % 97) END
FROM seq;

INSERT INTO kv VALUES ('alpha', x'00ff10'), ('beta', 'text'), ('gamma', 42),
                      ('delta', 2.5), ('epsilon', NULL);

SELECT count(*), sum(id), min(name), max(name) FROM emp;
SELECT count(*), total(amount), count(note) FROM sale;

.print == indexes
CREATE INDEX emp_dept ON emp(dept_id, salary);
CREATE INDEX sale_emp ON sale(emp_id, day);
CREATE UNIQUE INDEX emp_name ON emp(name);
.indexes emp
EXPLAIN QUERY PLAN SELECT * FROM sale WHERE emp_id = 17 ORDER BY day;
ANALYZE;
SELECT tbl, idx FROM sqlite_stat1 ORDER BY tbl, idx;

.print == aggregates and group by
.headers on
.mode column
SELECT d.name AS dept, count(e.id) AS n,
       printf('%.2f', avg(e.salary)) AS avg_salary,
       min(e.salary) AS lo, max(e.salary) AS hi
FROM dept d LEFT JOIN emp e ON e.dept_id = d.id
GROUP BY d.id ORDER BY d.id;

SELECT substr(hired, 1, 4) AS year, count(*) AS hires
FROM emp GROUP BY year HAVING count(*) > 110 ORDER BY hires DESC, year LIMIT 8;

.print == joins
.mode box
SELECT e.name, d.name AS dept, b.name AS boss,
       count(s.id) AS sales, printf('%.2f', total(s.amount)) AS revenue
FROM emp e
JOIN dept d ON d.id = e.dept_id
LEFT JOIN emp b ON b.id = e.boss
LEFT JOIN sale s ON s.emp_id = e.id
WHERE e.id % 250 = 0
GROUP BY e.id ORDER BY revenue DESC, e.id;

.print == subqueries, window functions, CTE
.mode markdown
SELECT dept, name, salary, rnk FROM (
  SELECT d.name AS dept, e.name, e.salary,
         rank() OVER (PARTITION BY d.id ORDER BY e.salary DESC, e.id) AS rnk
  FROM emp e JOIN dept d ON d.id = e.dept_id
) WHERE rnk <= 2 ORDER BY dept, rnk;

WITH monthly(m, total) AS (
  SELECT day / 31, sum(amount) FROM sale GROUP BY day / 31
)
SELECT m, printf('%.2f', total) AS total,
       printf('%.2f', sum(total) OVER (ORDER BY m)) AS running,
       printf('%+.3e', total - lag(total, 1, total) OVER (ORDER BY m)) AS delta
FROM monthly ORDER BY m;

SELECT count(*) AS no_sales FROM emp
WHERE NOT EXISTS (SELECT 1 FROM sale WHERE sale.emp_id = emp.id);

.print == a view
CREATE VIEW dept_revenue AS
  SELECT d.name AS dept, count(DISTINCT e.id) AS sellers,
         round(sum(s.amount), 2) AS revenue
  FROM dept d JOIN emp e ON e.dept_id = d.id JOIN sale s ON s.emp_id = e.id
  GROUP BY d.name;
.mode csv
SELECT * FROM dept_revenue ORDER BY revenue DESC;

.print == transactions
.mode list
.headers off
BEGIN;
DELETE FROM sale WHERE amount < 500;
SELECT 'inside', count(*) FROM sale;
ROLLBACK;
SELECT 'after rollback', count(*) FROM sale;

BEGIN;
UPDATE emp SET salary = salary * 1.05 WHERE dept_id = 6;
SAVEPOINT sp1;
DELETE FROM emp WHERE dept_id = 6 AND salary > 100000;
SELECT 'in savepoint', count(*) FROM emp;
ROLLBACK TO sp1;
RELEASE sp1;
COMMIT;
SELECT 'after commit', count(*), printf('%.2f', sum(salary)) FROM emp WHERE dept_id = 6;

-- A constraint error: reported on stderr, the script goes on.
INSERT INTO dept(id, name) VALUES (8, 'Sales');
SELECT 'after error', count(*) FROM dept;

.print == strings
.mode line
SELECT upper('mixed Case') AS up, lower('MIXED Case') AS low,
       length('héllo wörld') AS chars, length(CAST('héllo wörld' AS BLOB)) AS bytes,
       substr('abcdefghij', 3, 4) AS sub, replace('a-b-c-d', '-', '+') AS repl,
       trim('  pad  ') || '|' AS trimmed, ltrim('xxabcxx', 'x') AS lt,
       instr('hello world', 'wor') AS pos, hex('wasm') AS hx,
       quote('it''s') AS q, unicode('é') AS cp, char(9731, 65) AS chars2,
       'a' || NULL || 'b' AS nullcat, coalesce(NULL, 'dflt') AS co,
       'abc' LIKE 'A%' AS like_ci, 'abc' GLOB 'A*' AS glob_cs;

.mode list
SELECT group_concat(name, ', ') FROM (SELECT name FROM dept ORDER BY name DESC);
SELECT note, count(*) FROM sale WHERE note LIKE '%r%' GROUP BY note ORDER BY 2 DESC, 1 LIMIT 5;
SELECT name FROM emp WHERE name GLOB 'emp00[0-1][13579]_*' ORDER BY name;

.print == numbers and formatting
SELECT printf('%d|%5d|%-5d|%05d|%x|%X|%o', 42, 42, 42, 42, 255, 255, 8);
SELECT printf('%f|%.3f|%10.4f|%-10.1f|%e|%.2E|%g|%g', 3.14159265358979,
              2.0/3, -1.5, 1e10, 123456.789, 0.000123, 1e-5, 123456789.0);
SELECT format('%s has %,d rows and %.1f%% of sales', 'sale', count(*),
              100.0 * sum(amount > 500) / count(*)) FROM sale;
SELECT 1/3, 1.0/3, 7 % 3, -7 / 2, -7 % 2, 2.5 * 4, 1e308 * 10, -1e308 * 10;
SELECT 9223372036854775807, 9223372036854775807 + 1, abs(-9223372036854775807);
SELECT round(2.5), round(-2.5), round(1.005, 2), round(123.456, -1), round(0.1 + 0.2, 15);
SELECT 0.1 + 0.2, 1e100, 1.5e-300, 100.0, -0.0, 3.0e0 / 7;
SELECT CAST('12abc' AS INTEGER), CAST(' 3.5 ' AS REAL), CAST(12.9 AS INTEGER),
       typeof(1), typeof(1.0), typeof('1'), typeof(x'01'), typeof(NULL);
SELECT printf('%.6f %.6f %.6f %.6f', sqrt(2), exp(1), ln(10), pi()),
       pow(2, 10), floor(-2.5), ceil(-2.5), mod(10, 3);
SELECT printf('%.4f', sum(sin(id) * cos(id))) FROM emp;

.print == json and dates
SELECT json_object('dept', name, 'floor', floor) FROM dept WHERE id <= 2 ORDER BY id;
SELECT json_group_array(id) FROM (SELECT id FROM emp WHERE id % 500 = 0 ORDER BY id);
SELECT json_extract('{"a":[1,2,{"b":"x"}]}', '$.a[2].b'), json_array_length('[1,2,3,4]');
SELECT date('2024-02-28', '+1 day'), date('2023-02-28', '+1 day'),
       strftime('%Y/%j %H:%M', '2024-12-31 23:59:00'), julianday('2000-01-01'),
       datetime(0, 'unixepoch'), date('2024-01-31', '+1 month');

.print == other modes
.headers on
.mode json
SELECT id, name, floor FROM dept WHERE id IN (1, 7) ORDER BY id;
.mode insert dept_copy
SELECT * FROM dept WHERE id <= 3 ORDER BY id;
.mode quote
SELECT * FROM kv ORDER BY k;
.mode tabs
SELECT k, typeof(v), length(v) FROM kv ORDER BY k;
.mode html
SELECT id, name FROM dept WHERE id < 3 ORDER BY id;
.mode list
.separator " ~ "
.nullvalue <null>
SELECT id, name, floor FROM dept ORDER BY id;
.separator "|"
.nullvalue ""
.headers off

.print == dump of a small table
CREATE TABLE small (a INTEGER, b TEXT, c REAL, d BLOB);
INSERT INTO small VALUES (1, 'one', 1.5, x'01'), (2, 'it''s', NULL, NULL), (3, NULL, -0.25, x'');
.dump small

.print == triggers and deletes
CREATE TABLE audit (op TEXT, emp INTEGER, at INTEGER);
CREATE TRIGGER emp_del AFTER DELETE ON emp BEGIN
  INSERT INTO audit VALUES ('delete', old.id, (SELECT count(*) FROM emp));
END;
DELETE FROM emp WHERE id > 2490;
SELECT op, count(*), min(emp), max(emp), min(at) FROM audit GROUP BY op;
DELETE FROM sale WHERE emp_id > 2490;
VACUUM;
PRAGMA integrity_check;
SELECT count(*) FROM emp;
.schema --indent emp

-- @reopen
.print == reopened
.headers off
.mode list
PRAGMA integrity_check;
PRAGMA journal_mode;
PRAGMA page_size;
PRAGMA page_count;
PRAGMA freelist_count;
.tables
SELECT count(*), sum(id) FROM emp;
SELECT count(*), printf('%.2f', total(amount)) FROM sale;
SELECT * FROM dept_revenue ORDER BY dept;
SELECT * FROM small ORDER BY a;
SELECT k, quote(v) FROM kv ORDER BY k;
SELECT op, count(*) FROM audit GROUP BY op;
SELECT e.name, printf('%.2f', sum(s.amount))
FROM emp e JOIN sale s ON s.emp_id = e.id
GROUP BY e.id ORDER BY sum(s.amount) DESC, e.id LIMIT 5;
INSERT INTO kv VALUES ('zeta', 'added on reopen');
SELECT count(*) FROM kv;
