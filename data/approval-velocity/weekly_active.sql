-- Weekly activity of enrolled leaders: one row per enrolled leader and week (Monday to
-- Sunday), 100 when they made at least one learning statement that week and 0 when not.
-- The rows are person-level (the source names `learner` as its subject), so the site
-- averages them into the weekly share and withholds a week under the privacy minimum;
-- the query never aggregates people itself. Reads the LMS's xAPI statement log exactly
-- as the LMS exports it; statements about people who are not enrolled (guests, test
-- accounts) do not count.
WITH statements AS (
    SELECT actor.account.name AS learner,
           CAST("timestamp" AS TIMESTAMP) AS happened_at,
           regexp_extract(verb.id, '[^/]+$') AS verb
    -- the columns read are named, so DuckDB need not sample the log to guess its shape
    FROM read_json('data/approval-velocity/lms_statements.jsonl',
                   format = 'newline_delimited',
                   columns = {actor: 'STRUCT(account STRUCT(name VARCHAR))',
                              verb: 'STRUCT(id VARCHAR)', "timestamp": 'VARCHAR'})
),
enrolled AS (
    SELECT leader FROM read_csv('data/approval-velocity/enrolled.csv')
),
active AS (
    SELECT DISTINCT learner,
           CAST(date_trunc('week', happened_at) + INTERVAL '6 days' AS DATE) AS week_ending
    FROM statements
    WHERE verb IN ('launched', 'experienced', 'attempted', 'completed', 'answered')
      AND learner IN (SELECT leader FROM enrolled)
),
weeks AS (
    SELECT DISTINCT week_ending FROM active
)
SELECT w.week_ending, e.leader AS learner,
       CASE WHEN a.learner IS NULL THEN 0 ELSE 100 END AS active_pct
FROM weeks w
CROSS JOIN enrolled e
LEFT JOIN active a ON a.week_ending = w.week_ending AND a.learner = e.leader
ORDER BY w.week_ending, e.leader
