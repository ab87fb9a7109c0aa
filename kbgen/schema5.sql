-- Migration 4 -> 5: the folder cache of `kbgen compile`.
--
-- Derived data, like the full-text index: what the folder walk last read
-- from each folder under a compiled root, so that an unchanged tree costs
-- one stat() per folder instead of opening and reading every folder.  A
-- folder's mtime changes when an entry is added, removed or renamed in
-- it (not when a file in it is modified), and its ctime when its
-- permissions change, so a row whose folder still has the same device,
-- inode, mtime and ctime lists what a read would list.  A row read less
-- than two seconds after the folder's last change is not trusted (a
-- change in the same timestamp tick, or within FAT's two seconds, keeps
-- the mtime): compile.c reads such folders again.  Deleting any or all
-- rows is always safe: the next compile reads those folders for real.
-- Rows are replaced and dropped in the compile's own transaction.

CREATE TABLE folder (
	path		TEXT PRIMARY KEY,	-- canonical (real) path of a folder
						-- under a compiled root
	dev		INTEGER NOT NULL,	-- its st_dev when read
	ino		INTEGER NOT NULL,	-- its st_ino when read
	mtime_ns	INTEGER NOT NULL,	-- its st_mtim when read, ns since
						-- the epoch (entries added, removed,
						-- renamed)
	ctime_ns	INTEGER NOT NULL,	-- its st_ctim when read, ns since
						-- the epoch (also permission changes)
	read_ns		INTEGER NOT NULL,	-- wall clock (ns since the epoch) at
						-- the start of the compile that read
						-- it: no later than the read itself
	entries		BLOB NOT NULL		-- what the walk takes from it, in
						-- directory order: per entry a type
						-- byte ('d' subfolder, 'f' regular
						-- article file, 'l' symbolic link
						-- with an article extension), the
						-- name and a NUL; hidden entries and
						-- other files are left out
) WITHOUT ROWID;
