-- Migration 6 -> 7: what every site build reads, apart from the text.
--
-- `kbgen site` loads every section's place and heading (not its HTML or
-- text) on each run, also when one article changed.  Read from the
-- section table, that walks every page of HTML in the KB; this index
-- holds just those columns (it covers the query), so a rebuild reads a
-- few hundred KiB instead of the whole table.

CREATE INDEX section_outline ON section(version_id, ordinal, level, anchor,
    title, line);

-- Likewise the codes and log files that have pages: the index of
-- mentions by kind and value now also holds the section, so listing
-- them reads the index alone.
DROP INDEX mention_value;
CREATE INDEX mention_value ON mention(kind, value, section_id);

-- And the three front-matter fields the site reads of every version
-- (its topic, and which English version a translation was made from),
-- kept as columns when stored rather than parsed out of the front
-- matter's JSON on every build.
ALTER TABLE version ADD COLUMN technology TEXT;	-- ms.technology
ALTER TABLE version ADD COLUMN prod TEXT;		-- ms.prod
ALTER TABLE version ADD COLUMN lasthandoff TEXT;	-- ms.lasthandoff
UPDATE version SET
	technology = json_extract(frontmatter, '$."ms.technology"'),
	prod = json_extract(frontmatter, '$."ms.prod"'),
	lasthandoff = json_extract(frontmatter, '$."ms.lasthandoff"');

-- And what an incremental compile compares for every file it finds (the
-- size and mtime it was compiled at, and its SHA-1): read from one walk
-- of this index in path order, merged with the files found, instead of
-- a look-up per file.
CREATE INDEX version_check ON version(path, bytes, mtime_ns, sha1);
