-- schema.sql -- the kbgen knowledge base (KB), version 1.
--
-- Compiled into the binary (cmake/embed.cmake) and applied by db.c to an
-- empty database; PRAGMA user_version records the schema version and db.c
-- migrates older KBs forward.  Every value is written through bound
-- parameters (db.c holds every statement).  Foreign keys are on for every
-- connection; deleting a version cascades to everything derived from it.
--
-- The CHECKs on the kinds of the rows written by the thousand (mention,
-- callout, link) spell their lists as OR chains: SQLite evaluates
-- "x IN (list of more than two constants)" by building a temporary
-- B-tree of the list on every INSERT, which made each row cost twice as
-- much.  KBs made before keep their IN lists; the two mean the same.

-- Facts about the KB itself.
CREATE TABLE meta (
	key	TEXT PRIMARY KEY,	-- "kbgen_version", "created_utc"
	value	TEXT NOT NULL		-- its value
);

-- An article: one troubleshooting topic, whatever its versions and languages.
CREATE TABLE article (
	id	INTEGER PRIMARY KEY,	-- surrogate key
	key	TEXT NOT NULL UNIQUE,	-- ms.assetid, else derived from the file
					-- name or the title (stable across versions)
	derived	INTEGER NOT NULL DEFAULT 0 -- 1 when key is derived, not an assetid
);

-- One compiled source file: an article in one language at one point in time.
CREATE TABLE version (
	id		INTEGER PRIMARY KEY,	-- surrogate key
	article_id	INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,
						-- the article this is a version of
	locale		TEXT NOT NULL,		-- lower-case BCP 47: "en-us", "zh-cn"
	label		TEXT NOT NULL,		-- version label: "2023-03-07",
						-- "2018-05-25@5260a132", or a SHA-1 prefix
	date		TEXT,			-- ISO date from ms.date (or the text's
						-- "last updated" line), NULL when none
	git_commit	TEXT,			-- commit from the path or front matter
	title		TEXT NOT NULL,		-- the article title in this language
	path		TEXT NOT NULL UNIQUE,	-- canonical (real) source path
	display_path	TEXT NOT NULL,		-- the path as the user gave it
	format		TEXT NOT NULL CHECK (format IN ('markdown', 'text')),
						-- which reader compiled it
	encoding	TEXT NOT NULL,		-- source encoding: "utf-8", "utf-16le" ...
	sha1		TEXT NOT NULL,		-- SHA-1 of the raw bytes
	sha1_lf		TEXT NOT NULL,		-- SHA-1 with CRLF turned into LF
	sha1_crlf	TEXT NOT NULL,		-- SHA-1 with every LF as CRLF
	bytes		INTEGER NOT NULL,	-- raw size, for the incremental check
	mtime_ns	INTEGER NOT NULL,	-- modification time in ns, likewise
	mt		INTEGER NOT NULL DEFAULT 0 CHECK (mt IN (0, 1)),
						-- 1 for a machine translation
	frontmatter	TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(frontmatter)),
						-- every front-matter key, as JSON
	source_hash	TEXT,			-- ms.openlocfilehash: SHA-1 of the
						-- English source it was translated from
	source_commit	TEXT,			-- ms.sourcegitcommit of that source
	source_version_id INTEGER REFERENCES version(id) ON DELETE SET NULL,
						-- the English version whose raw SHA-1
						-- (LF or CRLF) equals source_hash;
						-- NULL when unknown or not a translation
	UNIQUE (article_id, locale, label)
);
CREATE INDEX version_article ON version(article_id, locale);
CREATE INDEX version_source_hash ON version(source_hash);
CREATE INDEX version_sha1 ON version(sha1);
CREATE INDEX version_sha1_lf ON version(sha1_lf);
CREATE INDEX version_sha1_crlf ON version(sha1_crlf);

-- A file whose bytes are those of a stored version (forks of one
-- repository at one commit hold the same file): remembered so that an
-- unchanged copy costs one stat() on the next compile, like the original.
CREATE TABLE alias (
	path		TEXT PRIMARY KEY,	-- canonical (real) path of the copy
	display_path	TEXT NOT NULL,		-- the path as the user gave it
	bytes		INTEGER NOT NULL,	-- size, for the incremental check
	mtime_ns	INTEGER NOT NULL,	-- modification time, likewise
	version_id	INTEGER NOT NULL REFERENCES version(id) ON DELETE CASCADE
						-- the version holding the same bytes
);
CREATE INDEX alias_version ON alias(version_id);

-- A heading and the body up to the next heading, in one version.
CREATE TABLE section (
	id		INTEGER PRIMARY KEY,	-- surrogate key (also the FTS rowid)
	version_id	INTEGER NOT NULL REFERENCES version(id) ON DELETE CASCADE,
						-- the version it belongs to
	ordinal		INTEGER NOT NULL,	-- 0-based position in the document
	parent_id	INTEGER REFERENCES section(id) ON DELETE CASCADE,
						-- enclosing section, NULL at the top
	level		INTEGER NOT NULL CHECK (level BETWEEN 0 AND 6),
						-- heading level; 0 for text before any heading
	anchor		TEXT NOT NULL,		-- fragment id, unique within the version
	title		TEXT NOT NULL,		-- heading as plain text
	line		INTEGER NOT NULL,	-- 1-based source line of the heading
	html		TEXT NOT NULL,		-- safe HTML of the body
	text		TEXT NOT NULL,		-- plain text of the body
	UNIQUE (version_id, ordinal),
	UNIQUE (version_id, anchor)
);
CREATE INDEX section_parent ON section(parent_id);

-- Something a section names that logs can contain: codes, files, services,
-- error messages.  The matcher and `kbgen lookup` search on (kind, value).
CREATE TABLE mention (
	id		INTEGER PRIMARY KEY,	-- surrogate key
	section_id	INTEGER NOT NULL REFERENCES section(id) ON DELETE CASCADE,
						-- where it is mentioned
	kind		TEXT NOT NULL CHECK (kind = 'hresult' OR kind = 'win32' OR
			    kind = 'statmsg' OR kind = 'http' OR kind = 'event' OR
			    kind = 'kb' OR kind = 'logfile' OR kind = 'service' OR
			    kind = 'message'),
						-- what it is
	value		TEXT NOT NULL,		-- normalized key: "0x80070643", "1603",
						-- "wsyncmgr.log", a masked message
	raw		TEXT NOT NULL,		-- the text as written
	UNIQUE (section_id, kind, value)
);
CREATE INDEX mention_value ON mention(kind, value);

-- One item of an ordered list: a fix step.
CREATE TABLE step (
	id		INTEGER PRIMARY KEY,	-- surrogate key
	section_id	INTEGER NOT NULL REFERENCES section(id) ON DELETE CASCADE,
						-- the section holding the list
	list		INTEGER NOT NULL,	-- 1-based ordered list within the section
	ordinal		INTEGER NOT NULL,	-- 1-based item number within the list
	text		TEXT NOT NULL		-- the item as plain text
);
CREATE INDEX step_section ON step(section_id);

-- A DocFX alert ("> [!NOTE]") in a section.
CREATE TABLE callout (
	id		INTEGER PRIMARY KEY,	-- surrogate key
	section_id	INTEGER NOT NULL REFERENCES section(id) ON DELETE CASCADE,
						-- the section holding it
	ordinal		INTEGER NOT NULL,	-- 1-based within the section
	type		TEXT NOT NULL CHECK (type = 'note' OR type = 'tip' OR
			    type = 'important' OR type = 'caution' OR
			    type = 'warning'),	-- the alert type
	text		TEXT NOT NULL		-- its content as plain text
);
CREATE INDEX callout_section ON callout(section_id);

-- A hyperlink in a section.
CREATE TABLE link (
	id		INTEGER PRIMARY KEY,	-- surrogate key
	section_id	INTEGER NOT NULL REFERENCES section(id) ON DELETE CASCADE,
						-- the section holding it
	ordinal		INTEGER NOT NULL,	-- 1-based within the section
	target		TEXT NOT NULL,		-- the href as written
	text		TEXT NOT NULL,		-- the link text
	line		INTEGER NOT NULL,	-- 1-based source line, 0 when unknown
	kind		TEXT NOT NULL CHECK (kind = 'internal' OR
			    kind = 'external' OR kind = 'anchor' OR
			    kind = 'site'),	-- internal: another KB file by
						-- relative path; anchor: "#x" in the
						-- same page; site: a docs-site path
						-- ("/windows/..."); external: a URL
	resolved_path	TEXT,			-- internal: the canonical path it names
	resolved_anchor	TEXT		-- the fragment, without '#', or NULL
);
CREATE INDEX link_section ON link(section_id);
CREATE INDEX link_resolved ON link(resolved_path);

-- Full-text index over sections.  The "kbgen" tokenizer (fts.c) segments
-- Chinese, Japanese and Korean text, which unicode61 alone does not.  No
-- triggers keep it in step: compile.c feeds it in two statements at the end
-- of each command (the removed sections, then the new ones), because FTS5
-- flushes its pending terms at every statement savepoint once it has been
-- written in a transaction, which per-row triggers turn into thousands of
-- tiny segments.
CREATE VIRTUAL TABLE section_fts USING fts5(
	title, text, content='section', content_rowid='id', tokenize='kbgen'
);
