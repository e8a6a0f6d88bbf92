-- Weekly active learners: enrolled leaders with at least one learning statement in the
-- week (Monday to Sunday), as a share of everyone enrolled. Reads the LMS's xAPI
-- statement log exactly as the LMS exports it; statements about people who are not
-- enrolled (guests, test accounts) do not count.
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
)
SELECT CAST(date_trunc('week', happened_at) + INTERVAL '6 days' AS DATE) AS week_ending,
       round(100.0 * count(DISTINCT learner) / (SELECT count(*) FROM enrolled), 1) AS active_pct
FROM statements
WHERE verb IN ('launched', 'experienced', 'attempted', 'completed', 'answered')
  AND learner IN (SELECT leader FROM enrolled)
GROUP BY ALL
ORDER BY week_ending
