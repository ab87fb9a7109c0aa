-- schema3.sql -- migration: the matcher's rules (rules.c), compiled from
-- kb/rules/*.yaml.  Applied by db.c inside one transaction.

-- A validated rule file, kept whole: the matcher parses rules from here,
-- so that matching needs nothing but the KB.
CREATE TABLE rule_file (
	path	TEXT PRIMARY KEY,	-- the file as compiled ("kb/rules/wsus.yaml")
	text	TEXT NOT NULL		-- its YAML
);

-- One rule of a rule file, for listing and for the site.
CREATE TABLE rule (
	id		INTEGER PRIMARY KEY,	-- surrogate key
	file		TEXT NOT NULL REFERENCES rule_file(path) ON DELETE CASCADE,
						-- the file that holds it
	line		INTEGER NOT NULL,	-- 1-based line of the rule in it
	name		TEXT NOT NULL UNIQUE,	-- the rule's id
	title		TEXT NOT NULL,		-- what a finding of it is called
	article_key	TEXT NOT NULL,		-- the article holding the fix
	anchor		TEXT NOT NULL,		-- the section holding the fix
	severity	TEXT NOT NULL CHECK (severity IN ('error', 'warning'))
);
