-- schema2.sql -- migration 1 -> 2: incidents merged from diagnostics
-- bundles (bundle.c, incident.c).  Applied by db.c inside one transaction.

-- An incident: the bundles collected for one problem, on one timeline.
CREATE TABLE incident (
	id		INTEGER PRIMARY KEY,	-- surrogate key
	name		TEXT NOT NULL UNIQUE,	-- what the user calls it: "INC-1234"
	created_utc	TEXT NOT NULL,		-- when it was first added to
	sample		INTEGER NOT NULL DEFAULT 0 CHECK (sample IN (0, 1))
						-- 1 for the demo incidents of kb/samples
);

-- A bundle added to an incident (a folder, an archive or a single file).
CREATE TABLE bundle (
	id		INTEGER PRIMARY KEY,	-- surrogate key
	incident_id	INTEGER NOT NULL REFERENCES incident(id) ON DELETE CASCADE,
						-- the incident it belongs to
	source		TEXT NOT NULL,		-- the path the user gave
	sha256		TEXT NOT NULL,		-- SHA-256 over its files' hashes in
						-- path order: adding it again is a no-op
	added_utc	TEXT NOT NULL,		-- when it was added
	UNIQUE (incident_id, sha256)
);

-- A computer whose files are in the incident.
CREATE TABLE host (
	id		INTEGER PRIMARY KEY,	-- surrogate key
	incident_id	INTEGER NOT NULL REFERENCES incident(id) ON DELETE CASCADE,
						-- the incident
	name		TEXT NOT NULL,		-- host name as found (manifest, STATMSG
						-- SYS=, event Computer, --host)
	role		TEXT NOT NULL,		-- what it does: "site-server",
						-- "wsus-server", "client", "unknown", or
						-- several joined by "+" ("site-server+wsus-server")
	role_source	TEXT NOT NULL,		-- how the role was decided: "manifest",
						-- "option", "content"
	tz_min		INTEGER,		-- its zone (local = UTC + tz_min minutes)
						-- as the logs revealed it, NULL unknown
	UNIQUE (incident_id, name)
);

-- One file of a bundle, after decoding.
CREATE TABLE file (
	id		INTEGER PRIMARY KEY,	-- surrogate key
	host_id		INTEGER NOT NULL REFERENCES host(id) ON DELETE CASCADE,
						-- the host it was collected from
	bundle_id	INTEGER NOT NULL REFERENCES bundle(id) ON DELETE CASCADE,
						-- the bundle it came in
	path		TEXT NOT NULL,		-- its path inside the bundle
	sha256		TEXT NOT NULL,		-- of the raw bytes
	format		TEXT NOT NULL,		-- the parser that read it ("cmtrace")
	encoding	TEXT NOT NULL,		-- "utf-8", "utf-16le", ...
	bytes		INTEGER NOT NULL,	-- raw size
	lines		INTEGER NOT NULL,	-- physical lines
	records		INTEGER NOT NULL,	-- records parsed
	stored		INTEGER NOT NULL,	-- records kept (with a signal, a warning
						-- or worse, or structured values)
	errors		INTEGER NOT NULL,	-- records of severity error
	warnings	INTEGER NOT NULL,	-- records of severity warning
	problems	INTEGER NOT NULL,	-- diagnostics while reading it
	first_utc	INTEGER,		-- first and last record time (UTC ms)
	last_utc	INTEGER,
	UNIQUE (host_id, path, sha256)
);
CREATE INDEX file_sha ON file(host_id, sha256);

-- A log record worth keeping.  Healthy lines are only counted (file.records).
CREATE TABLE record (
	id		INTEGER PRIMARY KEY,	-- surrogate key
	file_id		INTEGER NOT NULL REFERENCES file(id) ON DELETE CASCADE,
						-- the file it is in
	line		INTEGER NOT NULL,	-- 1-based physical line (after decoding)
	end_line	INTEGER NOT NULL,	-- last physical line of the record
	offset		INTEGER NOT NULL,	-- byte offset in the raw file
	local_ms	INTEGER,		-- wall-clock time as written, as ms since
						-- 1970 "as if UTC"; NULL when none
	tz_min		INTEGER,		-- zone of local_ms, NULL unknown
	utc_ms		INTEGER,		-- the instant (UTC ms); NULL when the
						-- zone is unknown
	severity	INTEGER NOT NULL,	-- 0 none, 1 info, 2 warning, 3 error
	component	TEXT,			-- component or source
	thread		TEXT,			-- thread id as written
	message		TEXT NOT NULL		-- the message (newlines kept)
);
CREATE INDEX record_file ON record(file_id, line);
CREATE INDEX record_time ON record(utc_ms);

-- Something a record says that the matcher looks for.
CREATE TABLE signal (
	id		INTEGER PRIMARY KEY,	-- surrogate key
	record_id	INTEGER NOT NULL REFERENCES record(id) ON DELETE CASCADE,
						-- the evidence
	kind		TEXT NOT NULL,		-- hresult, win32, statmsg, http, event,
						-- service, apppool, config, registry,
						-- wsus_url, message ...
	value		TEXT NOT NULL,		-- normalized: "0x80072ee2", "6703",
						-- "WsusService=STOPPED", "privateMemory=1843200"
	raw		TEXT NOT NULL		-- as written
);
CREATE INDEX signal_kind ON signal(kind, value);
CREATE INDEX signal_record ON signal(record_id);

-- IIS requests, counted per minute, endpoint and status (not stored one
-- by one: a busy WSUS server logs millions).
CREATE TABLE http_minute (
	file_id		INTEGER NOT NULL REFERENCES file(id) ON DELETE CASCADE,
	minute_utc	INTEGER NOT NULL,	-- UTC ms of the minute's start
	endpoint	TEXT NOT NULL,		-- URI stem, lower-case
	status		INTEGER NOT NULL,	-- HTTP status
	count		INTEGER NOT NULL,	-- requests
	first_line	INTEGER NOT NULL,	-- first line with that key in the minute
	PRIMARY KEY (file_id, minute_utc, endpoint, status)
) WITHOUT ROWID;

-- What was expected on each host for its role, and what was found.
CREATE TABLE coverage (
	host_id		INTEGER NOT NULL REFERENCES host(id) ON DELETE CASCADE,
	source		TEXT NOT NULL,		-- "wsyncmgr.log", "IIS logs", ...
	status		TEXT NOT NULL CHECK (status IN ('present', 'missing',
			    'empty', 'unparsed')),
	files		INTEGER NOT NULL,	-- files that matched it
	PRIMARY KEY (host_id, source)
) WITHOUT ROWID;
