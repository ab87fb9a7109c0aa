/*
 * test_logcore.c -- the bundle stage's shared pieces: the streaming line
 * reader (encodings, line ends, chunk boundaries anywhere, long lines),
 * calendar arithmetic and ISO formatting, and the signal scanner.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "logs.h"
#include "linereader.h"
#include "signals.h"

/* Lines collected as "N@OFF:text\n". */
static void
collect(void *arg, const char *s, size_t n, long lineno, uint64_t off)
{
	struct buf *b = arg;

	buf_printf(b, "%ld@%llu:", lineno, (unsigned long long)off);
	buf_put(b, s, n);
	buf_putc(b, '\n');
}

/* Reads raw through a line reader in chunks of `chunk` bytes. */
static void
read_all(const char *raw, size_t n, size_t chunk, struct buf *out)
{
	struct linereader lr;
	size_t bom, i;
	enum lr_encoding e = lr_guess((const unsigned char *)raw, n, &bom);

	lr_init(&lr, "t.log", e, collect, out);
	lr.off = bom;
	for (i = bom; i < n; i += chunk)
		lr_feed(&lr, raw + i, n - i < chunk ? n - i : chunk);
	lr_finish(&lr);
}

static const struct lcase {
	const char	*name;
	const char	*raw;
	size_t		 len;		/* 0: strlen */
	const char	*want;
} lcases[] = {
	{ "lf", "a\nbb\n", 0, "1@0:a\n2@2:bb\n" },
	{ "crlf", "a\r\nbb\r\n", 0, "1@0:a\n2@3:bb\n" },
	{ "no final eol", "a\nb", 0, "1@0:a\n2@2:b\n" },
	{ "empty lines", "\n\nx\n", 0, "1@0:\n2@1:\n3@2:x\n" },
	{ "utf8 bom", "\xef\xbb\xbfhi\nthere\n", 0, "1@3:hi\n2@6:there\n" },
	{ "utf16le bom", "\xff\xfeh\0i\0\r\0\n\0x\0\n\0", 14,
	    "1@2:hi\n2@10:x\n" },
	{ "utf16be bom", "\xfe\xff\0h\0i\0\n\0\xe4\0\n", 12,
	    "1@2:hi\n2@8:\xc3\xa4\n" },
	/* Mostly valid UTF-8 with one bad byte: repaired, not re-read as
	 * Windows-1252 (which a file of mostly bad bytes would be). */
	{ "invalid utf8", "\xc3\xa4\xc3\xb6\xc3\xbc ok\nthen \xff bad\n", 0,
	    "1@0:\xc3\xa4\xc3\xb6\xc3\xbc ok\n2@10:then \xef\xbf\xbd bad\n" },
	{ "nul dropped", "a\0b\n", 4, "1@0:ab\n" },
	{ "cp1252", "caf\xe9 \x80 r\xe9sum\xe9 na\xefve \x93q\x94\n", 0,
	    "1@0:caf\xc3\xa9 \xe2\x82\xac r\xc3\xa9sum\xc3\xa9 na\xc3\xafve "
	    "\xe2\x80\x9cq\xe2\x80\x9d\n" },
};

START_TEST(lines_by_chunk)
{
	const struct lcase *c = &lcases[_i];
	size_t n = c->len ? c->len : strlen(c->raw), chunk;

	/* Every chunk size from 1 byte to the whole: boundaries anywhere. */
	for (chunk = 1; chunk <= n; chunk++) {
		struct buf out = {0};
		diag_quiet = 1;
		read_all(c->raw, n, chunk, &out);
		ck_assert_msg(strcmp(buf_str(&out), c->want) == 0,
		    "%s (chunk %zu): got '%s'", c->name, chunk, buf_str(&out));
		buf_free(&out);
	}
}
END_TEST

/* A 20 MB line arrives in pieces with one line number; memory bounded. */
START_TEST(long_line)
{
	size_t n = 20u * 1024 * 1024, pieces = 0, total = 0;
	char *raw = xmalloc(n + 3);
	struct buf out = {0};
	struct linereader lr;
	const char *p;

	memset(raw, 'a', n);
	memcpy(raw + n, "\nb", 2);
	diag_quiet = 1;
	lr_init(&lr, "t.log", LR_UTF8, collect, &out);
	for (size_t i = 0; i < n + 2; i += 65536)
		lr_feed(&lr, raw + i, n + 2 - i < 65536 ? n + 2 - i : 65536);
	/* Bounded by the cap (the buffer may double once past it). */
	ck_assert_uint_le(lr.pending.cap, 2 * (LR_MAX_LINE + 65536));
	lr_finish(&lr);
	for (p = out.data; p && *p; p = strchr(p, '\n') + 1) {
		if (strncmp(p, "1@", 2) == 0) {
			pieces++;
			total += strcspn(strchr(p, ':') + 1, "\n");
		} else
			ck_assert(strncmp(p, "2@", 2) == 0);
	}
	ck_assert_uint_ge(pieces, 2);
	ck_assert_uint_eq(total, n);
	free(raw);
	buf_free(&out);
}
END_TEST

START_TEST(calendar)
{
	char iso[40];

	ck_assert_int_eq(days_from_civil(1970, 1, 1), 0);
	ck_assert_int_eq(days_from_civil(2000, 3, 1), 11017);
	ck_assert(make_ms(2021, 2, 29, 0, 0, 0, 0) == TIME_NONE);
	ck_assert(make_ms(2024, 2, 29, 0, 0, 0, 0) != TIME_NONE);
	ck_assert(make_ms(2021, 7, 14, 24, 0, 0, 0) == TIME_NONE);
	/* CMTrace "08:53:25.263+240" on 07-14-2021: bias 240 = UTC-4. */
	int64_t local = make_ms(2021, 7, 14, 8, 53, 25, 263);
	format_iso(local, -240, iso);
	ck_assert_str_eq(iso, "2021-07-14T08:53:25.263-04:00");
	format_iso(local + 240 * 60000, 0, iso);
	ck_assert_str_eq(iso, "2021-07-14T12:53:25.263Z");
	format_iso(make_ms(1999, 12, 31, 23, 59, 59, 999), 330, iso);
	ck_assert_str_eq(iso, "1999-12-31T23:59:59.999+05:30");
	format_iso(make_ms(1969, 12, 31, 23, 0, 0, 0), TZ_UNKNOWN, iso);
	ck_assert_str_eq(iso, "1969-12-31T23:00:00.000");
}
END_TEST

/* Windows zones: the offset in force at a local time, DST included. */
static const struct zcase {
	const char	*zone;
	int		 y, mo, d, h, mi;
	int32_t		 want;		/* local = UTC + want minutes */
} zcases[] = {
	{ "W. Europe Standard Time", 2025, 3, 30, 1, 59, 60 },
	{ "W. Europe Standard Time", 2025, 3, 30, 3, 0, 120 },
	{ "W. Europe Standard Time", 2025, 10, 26, 2, 30, 120 },	/* 1st pass */
	{ "W. Europe Standard Time", 2025, 10, 26, 3, 0, 60 },
	{ "GMT Standard Time", 2025, 3, 30, 0, 59, 0 },
	{ "gmt standard time", 2025, 3, 31, 19, 40, 60 },
	{ "Eastern Standard Time", 2025, 3, 9, 1, 59, -300 },
	{ "Eastern Standard Time", 2025, 3, 9, 3, 0, -240 },
	{ "Eastern Standard Time", 2025, 11, 2, 1, 30, -240 },
	{ "Eastern Standard Time", 2025, 11, 2, 2, 0, -300 },
	{ "AUS Eastern Standard Time", 2025, 1, 15, 12, 0, 660 },
	{ "AUS Eastern Standard Time", 2025, 4, 6, 3, 0, 600 },
	{ "AUS Eastern Standard Time", 2025, 10, 5, 2, 0, 660 },
	{ "New Zealand Standard Time", 2025, 9, 28, 1, 59, 720 },
	{ "New Zealand Standard Time", 2025, 9, 28, 2, 0, 780 },
	{ "India Standard Time", 2025, 7, 1, 12, 0, 330 },
	{ " US Mountain Standard Time\r", 2025, 7, 1, 12, 0, -420 },
};

START_TEST(zones)
{
	const struct zcase *c = &zcases[_i];
	const struct log_zone *z = log_zone_find(c->zone);

	ck_assert_msg(z != NULL, "'%s' unknown", c->zone);
	ck_assert_int_eq(log_zone_offset(z, make_ms(c->y, c->mo, c->d, c->h,
	    c->mi, 0, 0)), c->want);
	ck_assert(log_zone_find("Mars Standard Time") == NULL);
}
END_TEST

/* What signal_scan must find in a message, one "kind value" per line. */
static const struct scase {
	const char	*msg;
	const char	*want;
} scases[] = {
	{ "Sync failed: The request failed with HTTP status 503: Service "
	  "Unavailable.", "http 503\n" },
	{ "OnSearchComplete - Failed to end search job. Error = 0x80072ee2.",
	  "hresult 0x80072ee2\nwin32 12002\n" },
	{ "*FAILED* [8024402C] Method failed", "hresult 0x8024402c\n" },
	{ "WARNING: SyncUpdates failure, error = 0x8024400A, soap client "
	  "error = 7", "hresult 0x8024400a\n" },
	{ "The operating system reported error 2147500037: Unspecified error",
	  "hresult 0x80004005\n" },
	{ "Installation failed, hr=80070643", "hresult 0x80070643\nwin32 1603\n" },
	{ "code -2147023293 returned", "hresult 0x80070643\nwin32 1603\n" },
	{ "The remote server returned an error: (401) Unauthorized.",
	  "http 401\n" },
	{ "Processed 122 out of 130 items (93%), ETA in 00:00:03", "" },
	{ "Exception code C0000005 at 0x00007FF6", "hresult 0xc0000005\n" },
	{ "cabbage Cafe0000 connection cc000005x", "" },
	{ "Content file 1234567890 downloaded, size 2147483648 bytes", "" },
	{ "GUID 80070643-1111-2222-3333-444444444444 is not a code", "" },
	{ "WSUS server: http://WSUS01.contoso.com:8530", "wsus_url "
	  "wsus01.contoso.com:8530\n" },
	/* WCM names the server, then the port. */
	{ "Attempting connection to WSUS server: VAB-CM01.vistara.local, "
	  "port: 8530, useSSL: False~", "wsus_url vab-cm01.vistara.local:8530\n" },
	/* The same words introducing an error are no server. */
	{ "Failed to connect to local WSUS server: System.Data.SqlClient."
	  "SqlException (0x80131904): A network-related error",
	  "hresult 0x80131904\n" },
	{ "Got WSUS Client/Server URL: http://OMD-SUP02.osprey-md.ie:8530/"
	  "ClientWebService/client.asmx\"\"",
	  "wsus_url omd-sup02.osprey-md.ie:8530\n" },
	{ "WSUS Path='http://OLDWSUS01.ad.alpenblick.de:8530', Server "
	  "Version='3.2.7600.283'", "wsus_url oldwsus01.ad.alpenblick.de:8530\n" },
	{ "WSUS server: http://$WSUSSERVER:8530", "" },
	{ "   IPv4 Address. . . . . . . . . . . : 10.81.4.23(Preferred) ",
	  "host_ip 10.81.4.23\n" },
	{ "        IP Address. . . . . . . . . . . . : 192.168.1.20",
	  "host_ip 192.168.1.20\n" },
	{ "IPv4 Address: 10.0.0", "" },
	{ "WSUS server: https://[fd00::5]:8531/", "wsus_url [fd00::5]:8531\n" },
};

START_TEST(signals)
{
	const struct scase *c = &scases[_i];
	struct record r;
	struct signals sg;
	struct buf got = {0};
	size_t i;

	memset(&r, 0, sizeof(r));
	r.msg = c->msg;
	r.msg_len = strlen(c->msg);
	signal_scan(&r, &sg);
	for (i = 0; i < sg.n; i++)
		buf_printf(&got, "%s %s\n", sg.v[i].kind, sg.v[i].value);
	ck_assert_msg(strcmp(buf_str(&got), c->want) == 0, "'%s': got '%s'",
	    c->msg, buf_str(&got));
	buf_free(&got);
}
END_TEST

/*
 * The scan passes over 16 bytes at a time where it can: every case again
 * with 0..40 spaces before it, so that each trigger falls on each
 * position of a block and on the scalar tail.
 */
START_TEST(signals_shifted)
{
	const struct scase *c = &scases[_i];
	struct buf msg = {0}, got = {0};
	struct record r;
	struct signals sg;
	size_t k, i;

	for (k = 0; k <= 40; k++) {
		buf_reset(&msg);
		for (i = 0; i < k; i++)
			buf_putc(&msg, ' ');
		buf_puts(&msg, c->msg);
		memset(&r, 0, sizeof(r));
		r.msg = buf_str(&msg);
		r.msg_len = msg.len;
		signal_scan(&r, &sg);
		buf_reset(&got);
		for (i = 0; i < sg.n; i++)
			buf_printf(&got, "%s %s\n", sg.v[i].kind, sg.v[i].value);
		ck_assert_msg(strcmp(buf_str(&got), c->want) == 0,
		    "'%s' after %zu spaces: got '%s'", c->msg, k, buf_str(&got));
	}
	buf_free(&msg);
	buf_free(&got);
}
END_TEST

START_TEST(signals_kv)
{
	static const struct log_kv kv[] = {
		{ "apppool", "WsusPool" }, { "setting", "privateMemory" },
		{ "value", "1843200" },
	};
	static const struct log_kv svc[] = {
		{ "service", "WsusService" }, { "state", "STOPPED" },
	};
	static const struct log_kv reg[] = {
		{ "key", "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate" },
		{ "name", "WUServer" }, { "type", "REG_SZ" },
		{ "value", "http://OLDWSUS:8530" },
	};
	struct record r;
	struct signals sg;

	memset(&r, 0, sizeof(r));
	r.kv = kv;
	r.nkv = 3;
	signal_scan(&r, &sg);
	ck_assert_uint_eq(sg.n, 1);
	ck_assert_str_eq(sg.v[0].kind, "config");
	ck_assert_str_eq(sg.v[0].value, "WsusPool.privateMemory=1843200");
	r.kv = svc;
	r.nkv = 2;
	signal_scan(&r, &sg);
	ck_assert_uint_eq(sg.n, 1);
	ck_assert_str_eq(sg.v[0].value, "WsusService=STOPPED");
	r.kv = reg;
	r.nkv = 4;
	signal_scan(&r, &sg);
	ck_assert_uint_eq(sg.n, 2);
	ck_assert_str_eq(sg.v[1].kind, "wsus_url");
	ck_assert_str_eq(sg.v[1].value, "oldwsus:8530");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("logcore");
	TCase *tc = tcase_create("logcore");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, lines_by_chunk, 0,
	    sizeof(lcases) / sizeof(lcases[0]));
	tcase_add_test(tc, long_line);
	tcase_add_test(tc, calendar);
	tcase_add_loop_test(tc, zones, 0, sizeof(zcases) / sizeof(zcases[0]));
	tcase_add_loop_test(tc, signals, 0, sizeof(scases) / sizeof(scases[0]));
	tcase_add_loop_test(tc, signals_shifted, 0,
	    sizeof(scases) / sizeof(scases[0]));
	tcase_add_test(tc, signals_kv);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
