-- Migration 3 -> 4: the client addresses of IIS and HTTPERR logs.
--
-- Fault K8 (a client pointed at another server) shows as a client whose
-- address never reaches this server.  Every distinct address of a file
-- is kept with its first request, in one narrow row instead of a record
-- and a signal each: a WSUS server has thousands of clients.

CREATE TABLE client_seen (
	file_id		INTEGER NOT NULL REFERENCES file(id) ON DELETE CASCADE,
						-- the IIS or HTTPERR log
	ip		TEXT NOT NULL,		-- c-ip as logged
	first_line	INTEGER NOT NULL,	-- its first request in the file
	first_utc	INTEGER,		-- the time of that request (UTC ms),
						-- NULL when unknown
	PRIMARY KEY (file_id, ip)
) WITHOUT ROWID;
