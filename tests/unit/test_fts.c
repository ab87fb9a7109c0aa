/*
 * test_fts.c -- the "kbgen" FTS5 tokenizer and fts_query_from_user().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <sqlite3.h>

#include "util.h"
#include "encoding.h"
#include "fts.h"
#include "ckrun.h"

#define NELEM(a)	((int)(sizeof(a) / sizeof((a)[0])))

static sqlite3 *db;

/* The sample knowledge base: one row per language, rowid first. */
static const char *const rows[][3] = {
	{ "1", "WSUS synchronization failed",
	  "Message ID 6703 - WSUS Synchronization Failed. Error 0x80070643: "
	  "Fatal error during installation. Check wsyncmgr.log for details." },
	{ "2", "Synchronisierung fehlgeschlagen",
	  "Die Synchronisierung ist fehlgeschlagen. Überprüfen Sie die "
	  "Größe der Datenbank (Fehler 80070643)." },
	{ "3", "Сбой синхронизации WSUS",
	  "Синхронизация завершилась ошибкой. Проверьте журнал wsyncmgr.log." },
	{ "4", "WSUS 同步", "WSUS 同步失败时，请检查日志。" },
	{ "5", "WSUS の同期", "同期に失敗しました。ログを確認してください。" },
	{ "6", "WSUS 동기화", "동기화에 실패했습니다. 로그를 확인하세요." },
	{ "7", "日志文件", "日志文件位于服务器上。" },
	{ "8", "安装", "安装失败0x80070643错误" },
};

/* Runs sql, failing the test on error. */
static void
exec(const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
		ck_abort_msg("%s: %s", sql, err);
}

/* Opens an in-memory KB with the tokenizer and the sample rows. */
static void
setup(void)
{
	sqlite3_stmt *st;
	int i;

	ck_assert_int_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
	ck_assert_int_eq(fts_register(db), SQLITE_OK);
	exec("CREATE VIRTUAL TABLE t USING fts5(title, body, "
	    "tokenize='kbgen')");
	ck_assert_int_eq(sqlite3_prepare_v2(db, "INSERT INTO t(rowid, title, "
	    "body) VALUES (?1, ?2, ?3)", -1, &st, NULL), SQLITE_OK);
	for (i = 0; i < NELEM(rows); i++) {
		sqlite3_bind_text(st, 1, rows[i][0], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, rows[i][1], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, rows[i][2], -1, SQLITE_STATIC);
		ck_assert_int_eq(sqlite3_step(st), SQLITE_DONE);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
}

static void
teardown(void)
{
	sqlite3_close(db);
	db = NULL;
}

/*
 * Runs sql with ?1 bound to arg and returns the first column of every
 * row joined with "|", or "ERR: message".  The caller frees.
 */
static char *
query(const char *sql, const char *arg)
{
	struct buf b = {0};
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		buf_printf(&b, "ERR: %s", sqlite3_errmsg(db));
		return buf_detach(&b);
	}
	sqlite3_bind_text(st, 1, arg, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (b.len > 0)
			buf_putc(&b, '|');
		buf_puts(&b, (const char *)sqlite3_column_text(st, 0));
	}
	if (rc != SQLITE_DONE) {
		buf_reset(&b);
		buf_printf(&b, "ERR: %s", sqlite3_errmsg(db));
	}
	sqlite3_finalize(st);
	return buf_detach(&b);
}

/* Rowids matching expr, in rowid order, as "1|4". */
static char *
match(const char *expr)
{
	return query("SELECT rowid FROM t WHERE t MATCH ?1 ORDER BY rowid",
	    expr);
}

/* Whether s is valid UTF-8. */
static int
valid_utf8(const char *s)
{
	size_t n = strlen(s);
	uint32_t cp;
	int len;

	while (n > 0) {
		if ((len = utf8_decode((const unsigned char *)s, n, &cp)) <= 0)
			return 0;
		s += len;
		n -= (size_t)len;
	}
	return 1;
}

struct mcase {
	const char	*expr;
	const char	*rowids;
};

static const struct mcase mcases[] = {
	/* Latin, Cyrillic: unicode61 with case and diacritic folding. */
	{ "synchronization", "1" },
	{ "Synchronization", "1" },
	{ "wsus", "1|3|4|5|6" },
	{ "wsyncmgr", "1|3" },
	{ "fehlgeschlagen", "2" },
	{ "Synchronisierung AND fehlgeschlagen", "2" },
	{ "überprüfen", "2" },
	{ "ÜBERPRÜFEN", "2" },
	{ "uberprufen", "2" },
	{ "größe", "2" },
	{ "синхронизация", "3" },
	{ "ЖУРНАЛ", "3" },
	/* Error codes stay whole tokens. */
	{ "0x80070643", "1|8" },
	{ "80070643", "2" },
	{ "6703", "1" },
	/* Chinese words inside a longer run. */
	{ "同步失败", "4" },
	{ "同步", "4" },
	{ "失败", "4|8" },
	{ "失败时", "4" },
	{ "检查日志", "4" },
	{ "日志", "4|7" },
	{ "日志文件位于", "7" },
	{ "步同", "" },
	{ "同步失敗", "" },
	/* Japanese and Korean. */
	{ "同期", "5" },
	{ "失敗", "5" },
	{ "確認", "5" },
	{ "ログ", "5" },
	{ "失敗しました", "5" },
	{ "동기화", "6" },
	{ "실패", "6" },
	{ "로그", "6" },
	/* One CJK character. */
	{ "同", "4|5" },
	{ "败", "4|8" },
	{ "志", "4|7" },
	{ "ロ", "5" },
	/* Prefixes. */
	{ "synchro*", "1|2" },
	{ "0x8007*", "1|8" },
	{ "同*", "4|5" },
	{ "同步*", "4" },
	{ "同步失*", "4" },
	/* Phrases, also across scripts and across a CJK run boundary. */
	{ "\"WSUS 同步\"", "4" },
	{ "\"WSUS 同步失败时\"", "4" },
	{ "\"同步 失败\"", "4" },
	{ "\"失败0x80070643\"", "8" },
	{ "\"安装失败 0x80070643 错误\"", "8" },
	{ "\"0x80070643错误\"", "8" },
	{ "\"失败 时\"", "4" },
	/* Operators and columns. */
	{ "title:同步", "4" },
	{ "body:同期 AND title:WSUS", "5" },
	{ "NEAR(同步 检查, 5)", "4" },
	{ "WSUS NOT 同步", "1|3|5|6" },
	{ "同期 OR 동기화", "5|6" },
};

START_TEST(test_match)
{
	const struct mcase *c = &mcases[_i];
	char *got = match(c->expr);

	ck_assert_msg(strcmp(got, c->rowids) == 0, "%s: got \"%s\", want "
	    "\"%s\"", c->expr, got, c->rowids);
	free(got);
}
END_TEST

/* Highlights: markers around exactly the match, text otherwise intact. */
struct hcase {
	const char	*expr;
	int		 rowid;
	const char	*want;
};

static const struct hcase hcases[] = {
	{ "同步失败", 4, "WSUS <同步失败>时，请检查日志。" },
	{ "失败", 4, "WSUS 同步<失败>时，请检查日志。" },
	{ "同步 日志", 4, "WSUS <同步>失败时，请检查<日志>。" },
	{ "\"失败0x80070643\"", 8, "安装<失败0x80070643>错误" },
	{ "同期", 5, "<同期>に失敗しました。ログを確認してください。" },
	{ "ログ", 5, "同期に失敗しました。<ログ>を確認してください。" },
	{ "동기화", 6, "<동기화>에 실패했습니다. 로그를 확인하세요." },
	{ "0x80070643", 1, "Message ID 6703 - WSUS Synchronization Failed. "
	  "Error <0x80070643>: Fatal error during installation. Check "
	  "wsyncmgr.log for details." },
	{ "uberprufen", 2, "Die Synchronisierung ist fehlgeschlagen. "
	  "<Überprüfen> Sie die Größe der Datenbank (Fehler 80070643)." },
	{ "журнал", 3, "Синхронизация завершилась ошибкой. Проверьте "
	  "<журнал> wsyncmgr.log." },
	/* A lone character is shown with its right neighbour (the bigram). */
	{ "败", 4, "WSUS 同步失<败时>，请检查日志。" },
	{ "志", 4, "WSUS 同步失败时，请检查日<志>。" },
};

START_TEST(test_highlight)
{
	const struct hcase *c = &hcases[_i];
	char sql[128], *got;

	snprintf(sql, sizeof(sql), "SELECT highlight(t, 1, '<', '>') FROM t "
	    "WHERE t MATCH ?1 AND rowid = %d", c->rowid);
	got = query(sql, c->expr);
	ck_assert_msg(strcmp(got, c->want) == 0, "%s: got \"%s\"", c->expr,
	    got);
	free(got);
}
END_TEST

/* snippet() cuts at token boundaries, so CJK text stays valid UTF-8. */
START_TEST(test_snippet)
{
	static const char *const exprs[] = { "同步失败", "失败", "同", "同期",
	    "ログ", "동기화", "0x80070643", "日志", "синхронизация" };
	size_t i;
	int n;
	char sql[160], *got;

	for (n = 1; n <= 6; n++)
		for (i = 0; i < sizeof(exprs) / sizeof(exprs[0]); i++) {
			snprintf(sql, sizeof(sql), "SELECT snippet(t, -1, '[', "
			    "']', '...', %d) FROM t WHERE t MATCH ?1", n);
			got = query(sql, exprs[i]);
			ck_assert_msg(strncmp(got, "ERR", 3) != 0, "%s", got);
			ck_assert_msg(valid_utf8(got), "%s: %d: %s", exprs[i],
			    n, got);
			/* Like stock FTS5, a window shorter than the
			   phrase (同步失败 is 3 tokens) may miss it. */
			ck_assert_msg(n < 2 || strchr(got, '[') != NULL,
			    "%s: %d: %s", exprs[i], n, got);
			free(got);
		}
	got = query("SELECT snippet(t, 1, '[', ']', '...', 4) FROM t "
	    "WHERE t MATCH ?1", "同步失败");
	ck_assert_msg(strstr(got, "[同步失败]") != NULL, "%s", got);
	free(got);
	got = query("SELECT snippet(t, 1, '[', ']', '...', 3) FROM t "
	    "WHERE t MATCH ?1", "确認");
	ck_assert_str_eq(got, "");
	free(got);
}
END_TEST

/* bm25(): more hits in a shorter text rank first, in any script. */
START_TEST(test_bm25)
{
	char *got;

	exec("CREATE VIRTUAL TABLE r USING fts5(body, tokenize='kbgen')");
	exec("INSERT INTO r(rowid, body) VALUES "
	    "(1, '服务器日志显示同步在昨天晚上完成，没有错误，所有更新都已下载"
	    "并批准，客户端也已报告状态。'),"
	    "(2, '同步失败。同步服务器同步。'),"
	    "(3, '没有任何相关内容。'),"
	    "(4, 'the server log shows that the sync finished yesterday "
	    "evening without errors and all updates were downloaded'),"
	    "(5, 'sync failed, sync again, sync'),"
	    "(6, '同期に失敗しました。'),"
	    "(7, 'サーバーのログによると、昨夜の同期はエラーなしで完了し、"
	    "すべての更新プログラムがダウンロードされました。')");
	got = query("SELECT rowid FROM r WHERE r MATCH ?1 ORDER BY bm25(r)",
	    "同步");
	ck_assert_str_eq(got, "2|1");
	free(got);
	got = query("SELECT rowid FROM r WHERE r MATCH ?1 ORDER BY rank",
	    "sync");
	ck_assert_str_eq(got, "5|4");
	free(got);
	got = query("SELECT rowid FROM r WHERE r MATCH ?1 ORDER BY rank",
	    "同期");
	ck_assert_str_eq(got, "6|7");
	free(got);
	got = query("SELECT count(*) FROM r WHERE r MATCH ?1 AND "
	    "bm25(r) < 0", "同步");
	ck_assert_str_eq(got, "2");
	free(got);
}
END_TEST

/* Collects tokens as "text[start,end]", colocated ones prefixed "+". */
struct tokens {
	struct buf	 out;
	const char	*text;
	int		 n;
	int		 bad;
};

static int
token_cb(void *ctx, int tflags, const char *tok, int ntok, int s, int e)
{
	struct tokens *t = ctx;

	if (s < 0 || e > t->n || s >= e)
		t->bad++;
	else if (!(tflags & FTS5_TOKEN_COLOCATED) || ntok > 0) {
		char *span = xstrndup(t->text + s, (size_t)(e - s));

		if (!valid_utf8(span))
			t->bad++;
		free(span);
	}
	if (t->out.len > 0)
		buf_putc(&t->out, ' ');
	buf_printf(&t->out, "%s%.*s[%d,%d]",
	    tflags & FTS5_TOKEN_COLOCATED ? "+" : "", ntok, tok, s, e);
	return SQLITE_OK;
}

struct tcase_tok {
	int		 flags;
	const char	*text;
	const char	*want;
};

#define DOC	FTS5_TOKENIZE_DOCUMENT
#define QRY	FTS5_TOKENIZE_QUERY

static const struct tcase_tok tokcases[] = {
	{ DOC, "WSUS 同步失败。", "wsus[0,4] 同步[5,11] +同[5,8] "
	  "步失[8,14] +步[8,11] 失败[11,17] +失[11,14] 败[14,17]" },
	{ FTS5_TOKENIZE_AUX, "同步", "同步[0,6] +同[0,3] 步[3,6]" },
	{ DOC, "a同b", "a[0,1] 同[1,4] b[4,5]" },
	{ DOC, "0x80070643 80070643", "0x80070643[0,10] 80070643[11,19]" },
	{ DOC, "Größe Überprüfen", "große[0,7] uberprufen[8,20]" },
	{ DOC, "人々", "人々[0,6] +人[0,3] 々[3,6]" },
	{ DOC, "「同期」", "同期[3,9] +同[3,6] 期[6,9]" },
	{ DOC, "", "" },
	{ DOC, "\xff\xfe同", "同[2,5]" },
	{ QRY, "同步失败", "同步[0,6] 步失[3,9] 失败[6,12]" },
	{ QRY, "同步", "同步[0,6]" },
	{ QRY, "同", "同[0,3]" },
	{ QRY | FTS5_TOKENIZE_PREFIX, "同", "同[0,3]" },
	{ QRY, "失败0x80070643", "失败[0,6] 败[3,6] 0x80070643[6,16]" },
	{ QRY, "同步 日志", "同步[0,6] 步[3,6] 日志[7,13]" },
	{ QRY, "WSUS同步", "wsus[0,4] 同步[4,10]" },
};

/* The token streams themselves, with byte offsets into the input. */
START_TEST(test_tokens)
{
	const struct tcase_tok *c = &tokcases[_i];
	fts5_api *api = NULL;
	fts5_tokenizer mod;
	Fts5Tokenizer *tok;
	sqlite3_stmt *st;
	struct tokens t;
	void *ud;

	ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st,
	    NULL), SQLITE_OK);
	sqlite3_bind_pointer(st, 1, &api, "fts5_api_ptr", NULL);
	sqlite3_step(st);
	sqlite3_finalize(st);
	ck_assert_ptr_nonnull(api);
	ck_assert_int_eq(api->xFindTokenizer(api, "kbgen", &ud, &mod),
	    SQLITE_OK);
	ck_assert_int_eq(mod.xCreate(ud, NULL, 0, &tok), SQLITE_OK);
	memset(&t, 0, sizeof(t));
	t.text = c->text;
	t.n = (int)strlen(c->text);
	ck_assert_int_eq(mod.xTokenize(tok, &t, c->flags, c->text, t.n,
	    token_cb), SQLITE_OK);
	mod.xDelete(tok);
	ck_assert_msg(strcmp(buf_str(&t.out), c->want) == 0, "%s: got %s",
	    c->text, buf_str(&t.out));
	ck_assert_int_eq(t.bad, 0);
	buf_free(&t.out);
}
END_TEST

/* Returning non-OK from the callback stops tokenizing, in both paths. */
static int
stop_cb(void *ctx, int tflags, const char *tok, int ntok, int s, int e)
{
	int *n = ctx;

	return ++*n == 2 ? SQLITE_ABORT : SQLITE_OK;
}

START_TEST(test_tokens_stop)
{
	static const char *const texts[] = { "one two three", "同步失败时",
	    "a 同步 b" };
	fts5_api *api = NULL;
	fts5_tokenizer mod;
	Fts5Tokenizer *tok;
	sqlite3_stmt *st;
	void *ud;
	int i, n;

	sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL);
	sqlite3_bind_pointer(st, 1, &api, "fts5_api_ptr", NULL);
	sqlite3_step(st);
	sqlite3_finalize(st);
	ck_assert_int_eq(api->xFindTokenizer(api, "kbgen", &ud, &mod),
	    SQLITE_OK);
	ck_assert_int_eq(mod.xCreate(ud, NULL, 0, &tok), SQLITE_OK);
	for (i = 0; i < NELEM(texts); i++) {
		n = 0;
		ck_assert_int_eq(mod.xTokenize(tok, &n, DOC, texts[i],
		    (int)strlen(texts[i]), stop_cb), SQLITE_ABORT);
		ck_assert_int_eq(n, 2);
	}
	mod.xDelete(tok);
}
END_TEST

/* Table arguments reach unicode61, after kbgen's own. */
START_TEST(test_tokenizer_args)
{
	char *got;

	exec("CREATE VIRTUAL TABLE a USING fts5(x, "
	    "tokenize='kbgen tokenchars _')");
	exec("INSERT INTO a(rowid, x) VALUES (1, 'SMS_WSUS_SYNC_MANAGER 同步')");
	got = query("SELECT rowid FROM a WHERE a MATCH ?1",
	    "sms_wsus_sync_manager");
	ck_assert_str_eq(got, "1");
	free(got);
	got = query("SELECT rowid FROM a WHERE a MATCH ?1", "同步");
	ck_assert_str_eq(got, "1");
	free(got);
	got = query("CREATE VIRTUAL TABLE b USING fts5(x, "
	    "tokenize='kbgen nosuchoption 1')", NULL);
	ck_assert_msg(strncmp(got, "ERR", 3) == 0, "%s", got);
	free(got);
}
END_TEST

struct qcase {
	const char	*in;
	const char	*want;
};

static const struct qcase qcases[] = {
	{ "", "\"\"" },
	{ "   \t\n", "\"\"" },
	{ "0x80070643", "\"0x80070643\"" },
	{ "WSUS 6703", "\"WSUS\" AND \"6703\"" },
	{ "sync*", "\"sync\"*" },
	{ "sync**", "\"sync\"*" },
	{ "a\"b", "\"a\"\"b\"" },
	{ "\"sync failed\" wsus", "\"sync failed\" AND \"wsus\"" },
	{ "\"sync failed\"*", "\"sync failed\"*" },
	{ "\"unterminated phrase", "\"unterminated phrase\"" },
	{ "- : * ^ ( ) \"\" +", "\"\"" },
	{ "同步失败\xe3\x80\x80日志", "\"同步失败\" AND \"日志\"" },
	{ "同步失败。", "\"同步失败。\"" },
	{ "。、「」", "\"\"" },
	{ "error:0x80070643", "\"error:0x80070643\"" },
	{ "NOT wsus", "\"NOT\" AND \"wsus\"" },
	{ "title:wsus", "\"title:wsus\"" },
	{ "NEAR(a b)", "\"NEAR(a\" AND \"b)\"" },
};

START_TEST(test_query_from_user)
{
	const struct qcase *c = &qcases[_i];
	char *got = fts_query_from_user(c->in);

	ck_assert_msg(strcmp(got, c->want) == 0, "%s: got %s", c->in, got);
	free(got);
}
END_TEST

/* What users type finds what they mean. */
static const struct mcase ucases[] = {
	{ "Synchronisierung fehlgeschlagen", "2" },
	{ "wsus 同步", "4" },
	{ "WSUS同步失败", "4" },
	{ "同", "4|5" },
	{ "synchro*", "1|2" },
	{ "0x80070643 -", "1|8" },
	{ "error: 0x80070643", "1" },
	{ "\"WSUS 同步失败\"", "4" },
	{ "同期\xe3\x80\x80ログ", "5" },
	{ "Message ID 6703", "1" },
	{ "wsyncmgr.log", "1|3" },
	{ "", "" },
	{ "NOT wsus", "" },
};

START_TEST(test_user_match)
{
	const struct mcase *c = &ucases[_i];
	char *q = fts_query_from_user(c->expr), *got = match(q);

	ck_assert_msg(strcmp(got, c->rowids) == 0, "%s (%s): got \"%s\"",
	    c->expr, q, got);
	free(got);
	free(q);
}
END_TEST

/* No input makes the MATCH fail: a list, then random junk. */
static const char *const hostile[] = {
	"", " ", "\"", "\"\"", "\"\"\"", "(", ")", "()", "a AND", "AND", "OR",
	"NOT", "a OR", "NOT a", "NEAR", "NEAR(", "NEAR(a b, 2)", "*", "**",
	"*a", "a*b", "^", "^a", "a^", ":", "a:", ":a", "title:", "{title}: a",
	"-", "--a", "a-b", "+", "'", "';DROP TABLE t;--", "\\", "\\\"",
	"\xff\xfe", "\xe5\x90", "同步\xff", "。", "\xe3\x80\x80", "a \"b",
	"\"a\" \"", "x\"\"y", "0x80070643*", "%", "_", "a\tb\nc", "col:\"x\"",
	"AND AND OR NOT NEAR", "\"*\"", "*\"", "\x01\x02", "同步 NOT",
};

/* Runs a user string through fts_query_from_user and MATCH. */
static void
check_safe(const char *in)
{
	char *q = fts_query_from_user(in), *got = match(q);

	ck_assert_msg(strncmp(got, "ERR", 3) != 0, "input \"%s\" -> %s: %s",
	    in, q, got);
	free(got);
	free(q);
}

START_TEST(test_hostile)
{
	check_safe(hostile[_i]);
}
END_TEST

START_TEST(test_hostile_random)
{
	static const char *const parts[] = { "a", "wsus", "\"", "*", "^", ":",
	    "(", ")", "-", "+", " ", " ", "AND", "OR", "NOT", "NEAR", "同",
	    "步", "。", "\xff", "{", "}", "'", "\\", ",", "0x80070643", ".",
	    "\xe3\x80\x80", "title", "\t" };
	uint32_t x = 88172645u;
	char in[256];
	int i, j, n;

	for (i = 0; i < 3000; i++) {
		in[0] = '\0';
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		n = (int)(x % 12);
		for (j = 0; j < n; j++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			strcat(in, parts[x % NELEM(parts)]);
		}
		check_safe(in);
	}
}
END_TEST

/* Registering twice on one connection is harmless. */
START_TEST(test_register_again)
{
	char *got;

	ck_assert_int_eq(fts_register(db), SQLITE_OK);
	got = match("同步");
	ck_assert_str_eq(got, "4");
	free(got);
}
END_TEST

static Suite *
fts_suite(void)
{
	Suite *s = suite_create("fts");
	TCase *tc;

	tc = tcase_create("tokenizer");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_match, 0, NELEM(mcases));
	tcase_add_loop_test(tc, test_highlight, 0, NELEM(hcases));
	tcase_add_test(tc, test_snippet);
	tcase_add_test(tc, test_bm25);
	tcase_add_loop_test(tc, test_tokens, 0, NELEM(tokcases));
	tcase_add_test(tc, test_tokens_stop);
	tcase_add_test(tc, test_tokenizer_args);
	tcase_add_test(tc, test_register_again);
	suite_add_tcase(s, tc);

	tc = tcase_create("query");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_query_from_user, 0, NELEM(qcases));
	tcase_add_loop_test(tc, test_user_match, 0, NELEM(ucases));
	tcase_add_loop_test(tc, test_hostile, 0, NELEM(hostile));
	tcase_add_test(tc, test_hostile_random);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return ck_run(fts_suite());
}
