-- Migration 5 -> 6: IIS request counts stored an hour to a row.
--
-- A busy WSUS server logs a few requests a second on each web service,
-- and every minute, endpoint and status was a row of http_minute: a
-- quarter of a million rows for 1.7 million requests, the most costly
-- part of adding a bundle.  One row now holds an hour of one endpoint
-- and status, its minutes as a JSON array of [minute, requests, first
-- line] (minute 0-59, ascending, each once), with the hour's totals
-- beside them.  The per-minute rows remain as the view http_minute,
-- with the columns and values the table had.

CREATE TABLE http_hour (
	file_id		INTEGER NOT NULL REFERENCES file(id) ON DELETE CASCADE,
	hour_utc	INTEGER NOT NULL,	-- UTC ms of the hour's start
	endpoint	TEXT NOT NULL,		-- URI stem, lower-case
	status		INTEGER NOT NULL,	-- HTTP status
	requests	INTEGER NOT NULL,	-- in the hour
	first_line	INTEGER NOT NULL,	-- first line with that key in the hour
	minutes		TEXT NOT NULL,		-- JSON [[minute, requests, first
						-- line], ...], minute ascending
	PRIMARY KEY (file_id, hour_utc, endpoint, status)
) WITHOUT ROWID;

INSERT INTO http_hour (file_id, hour_utc, endpoint, status, requests,
    first_line, minutes)
SELECT file_id, hour, endpoint, status, sum(count), min(first_line),
    json_group_array(json_array((minute_utc - hour) / 60000, count,
    first_line))
FROM (SELECT file_id, minute_utc, endpoint, status, count, first_line,
	minute_utc - ((minute_utc % 3600000) + 3600000) % 3600000 AS hour
    FROM http_minute ORDER BY file_id, endpoint, status, minute_utc)
GROUP BY file_id, endpoint, status, hour;

DROP TABLE http_minute;

-- One row per file, minute, endpoint and status, as before.
CREATE VIEW http_minute (file_id, minute_utc, endpoint, status, count,
    first_line) AS
SELECT h.file_id, h.hour_utc + (m.value ->> 0) * 60000, h.endpoint,
    h.status, m.value ->> 1, m.value ->> 2
FROM http_hour h, json_each(h.minutes) m;
