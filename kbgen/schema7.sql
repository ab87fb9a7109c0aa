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
