/*
 * test_encoding.c -- text_decode() and the UTF-8 / script helpers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "util.h"
#include "encoding.h"

/* A string literal with its length, NULs included. */
#define B(s)	(s), sizeof(s) - 1

/* One text_decode() case: input, expected result. */
struct dcase {
	const char	*name;
	const char	*in;
	size_t		 inlen;
	int		 rc;
	const char	*out;
	size_t		 outlen;
	const char	*enc;
	int		 bom;
	int		 eol;
	size_t		 replaced;
};

#define FFFD	"\xef\xbf\xbd"
#define U8BOM	"\xef\xbb\xbf"

static const struct dcase dcases[] = {
	{ "empty", B(""), 0, B(""), "utf-8", 0, EOL_NONE, 0 },
	{ "lf", B("a\nb\n"), 0, B("a\nb\n"), "utf-8", 0, EOL_LF, 0 },
	{ "crlf", B("a\r\nb\r\n"), 0, B("a\nb\n"), "utf-8", 0, EOL_CRLF, 0 },
	{ "cr", B("a\rb\r"), 0, B("a\nb\n"), "utf-8", 0, EOL_CR, 0 },
	{ "mixed", B("a\r\nb\nc\rd"), 0, B("a\nb\nc\nd"), "utf-8", 0,
	    EOL_MIXED, 0 },
	{ "cr-crlf", B("a\r\r\nb"), 0, B("a\n\nb"), "utf-8", 0, EOL_MIXED, 0 },
	{ "no-eol", B("abc"), 0, B("abc"), "utf-8", 0, EOL_NONE, 0 },
	{ "crlf-at-end-split", B("x\r"), 0, B("x\n"), "utf-8", 0, EOL_CR, 0 },
	{ "utf8", B("Gr\xc3\xbc\xc3\x9f" "e \xe5\x90\x8c\xe6\xad\xa5 "
	    "\xf0\x9f\x98\x80\n"), 0, B("Gr\xc3\xbc\xc3\x9f" "e "
	    "\xe5\x90\x8c\xe6\xad\xa5 \xf0\x9f\x98\x80\n"), "utf-8", 0,
	    EOL_LF, 0 },
	{ "utf8-bom", B(U8BOM "h\xc3\xa9\r\n"), 0, B("h\xc3\xa9\n"),
	    "utf-8-bom", 1, EOL_CRLF, 0 },
	{ "bom-only", B(U8BOM), 0, B(""), "utf-8-bom", 1, EOL_NONE, 0 },
	{ "utf16le-bom", B("\xff\xfeh\0i\0\r\0\n\0"), 0, B("hi\n"),
	    "utf-16le", 1, EOL_CRLF, 0 },
	{ "utf16be-bom", B("\xfe\xff\0h\0i\0\n"), 0, B("hi\n"), "utf-16be",
	    1, EOL_LF, 0 },
	{ "utf16le-nobom", B("W\0S\0U\0S\0\r\0\n\0o\0k\0"), 0, B("WSUS\nok"),
	    "utf-16le", 0, EOL_CRLF, 0 },
	{ "utf16be-nobom", B("\0W\0S\0U\0S\0\n"), 0, B("WSUS\n"), "utf-16be",
	    0, EOL_LF, 0 },
	{ "utf16le-cjk", B("\xff\xfe\x0c\x54\x65\x6b"), 0,
	    B("\xe5\x90\x8c\xe6\xad\xa5"), "utf-16le", 1, EOL_NONE, 0 },
	{ "utf16le-pair", B("\xff\xfe\x3d\xd8\x00\xde" "a\0"), 0,
	    B("\xf0\x9f\x98\x80" "a"), "utf-16le", 1, EOL_NONE, 0 },
	{ "utf16be-pair", B("\xfe\xff\xd8\x3d\xde\x00\0a"), 0,
	    B("\xf0\x9f\x98\x80" "a"), "utf-16be", 1, EOL_NONE, 0 },
	{ "utf16-max", B("\xff\xfe\xff\xdb\xff\xdf"), 0,
	    B("\xf4\x8f\xbf\xbf"), "utf-16le", 1, EOL_NONE, 0 },
	{ "utf16-lone-high", B("\xff\xfe\x3d\xd8" "A\0"), 0, B(FFFD "A"),
	    "utf-16le", 1, EOL_NONE, 1 },
	{ "utf16-lone-low", B("\xff\xfe\x00\xde" "A\0"), 0, B(FFFD "A"),
	    "utf-16le", 1, EOL_NONE, 1 },
	{ "utf16-high-at-end", B("\xff\xfe" "A\0\x3d\xd8"), 0, B("A" FFFD),
	    "utf-16le", 1, EOL_NONE, 1 },
	{ "utf16-high-high", B("\xfe\xff\xd8\x3d\xd8\x3d\xde\x00"), 0,
	    B(FFFD "\xf0\x9f\x98\x80"), "utf-16be", 1, EOL_NONE, 1 },
	{ "utf16-odd", B("\xff\xfe" "A\0B"), 0, B("A" FFFD), "utf-16le", 1,
	    EOL_NONE, 1 },
	{ "utf16-nul", B("\xff\xfe" "A\0\0\0B\0"), 0, B("AB"), "utf-16le", 1,
	    EOL_NONE, 0 },
	/* Invalid UTF-8 in a UTF-8 file: one U+FFFD per maximal subpart. */
	{ "bad-ff", B("\xc3\xa9\xff\xc3\xa9"), 0, B("\xc3\xa9" FFFD
	    "\xc3\xa9"), "utf-8", 0, EOL_NONE, 1 },
	{ "bad-stray-cont", B("\xc3\xa9\x80\xc3\xa9"), 0, B("\xc3\xa9" FFFD
	    "\xc3\xa9"), "utf-8", 0, EOL_NONE, 1 },
	{ "overlong-2", B(U8BOM "\xc0\xaf"), 0, B(FFFD FFFD), "utf-8-bom", 1,
	    EOL_NONE, 2 },
	{ "overlong-c1", B(U8BOM "\xc1\xbf"), 0, B(FFFD FFFD), "utf-8-bom",
	    1, EOL_NONE, 2 },
	{ "overlong-3", B(U8BOM "\xe0\x80\xaf"), 0, B(FFFD FFFD FFFD),
	    "utf-8-bom", 1, EOL_NONE, 3 },
	{ "overlong-4", B(U8BOM "\xf0\x8f\xbf\xbf"), 0,
	    B(FFFD FFFD FFFD FFFD), "utf-8-bom", 1, EOL_NONE, 4 },
	{ "surrogate", B(U8BOM "\xed\xa0\x80x"), 0, B(FFFD FFFD FFFD "x"),
	    "utf-8-bom", 1, EOL_NONE, 3 },
	{ "above-10ffff", B(U8BOM "\xf4\x90\x80\x80"), 0,
	    B(FFFD FFFD FFFD FFFD), "utf-8-bom", 1, EOL_NONE, 4 },
	{ "lead-f5", B(U8BOM "\xf5\x80"), 0, B(FFFD FFFD), "utf-8-bom", 1,
	    EOL_NONE, 2 },
	{ "truncated-mid", B(U8BOM "\xe5\x90x"), 0, B(FFFD "x"), "utf-8-bom",
	    1, EOL_NONE, 1 },
	{ "truncated-eof", B(U8BOM "a\xf0\x9f\x98"), 0, B("a" FFFD),
	    "utf-8-bom", 1, EOL_NONE, 1 },
	{ "max-valid", B("\xf4\x8f\xbf\xbf"), 0, B("\xf4\x8f\xbf\xbf"),
	    "utf-8", 0, EOL_NONE, 0 },
	/* Not UTF-8 at all: Windows-1252. */
	{ "cp1252", B("Gr\xfc\xdf" "e \x80 \x93q\x94 \x96 caf\xe9\r\n"), 0,
	    B("Gr\xc3\xbc\xc3\x9f" "e \xe2\x82\xac \xe2\x80\x9cq\xe2\x80\x9d "
	    "\xe2\x80\x93 caf\xc3\xa9\n"), "windows-1252", 0, EOL_CRLF, 0 },
	{ "cp1252-undefined", B("a\x81" "b"), 0, B("a\xc2\x81" "b"),
	    "windows-1252", 0, EOL_NONE, 0 },
	{ "cp1252-nbsp", B("x\xa0y\xff"), 0, B("x\xc2\xa0y\xc3\xbf"),
	    "windows-1252", 0, EOL_NONE, 0 },
	/* NUL bytes in an 8-bit text file are stripped. */
	{ "nul", B("ab\0c\0\0d\n"), 0, B("abcd\n"), "utf-8", 0, EOL_LF, 0 },
	{ "nul-padding", B("log line\n\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"), 0,
	    B("log line\n"), "utf-8", 0, EOL_LF, 0 },
	{ "nul-only", B("\0\0\0\0\0"), 0, B(""), "utf-8", 0, EOL_NONE, 0 },
	{ "tab-ff-esc", B("a\tb\fc\x1b[0m\n"), 0, B("a\tb\fc\x1b[0m\n"),
	    "utf-8", 0, EOL_LF, 0 },
	/* Binary. */
	{ "png", B("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0\x08\x06"
	    "\0\0\0\x1f\x15\xc4\x89\0\0\0\nIDATx\x9c" "c\0\x01\0\0\x05\0\x01"),
	    -1, B(""), "utf-8", 0, EOL_NONE, 0 },
	{ "elf", B("\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0>\0\x01\0"
	    "\0\0\x40\x10\x40\0\0\0\0\0@\0\0\0\0\0\0\0"), -1, B(""), "utf-8", 0,
	    EOL_NONE, 0 },
	{ "controls", B("\x01\x02\x03\x04" "abc"), -1, B(""), "utf-8", 0,
	    EOL_NONE, 0 },
	{ "many-nul-runs", B("abc\0de\0fg\0hij\0k\0lm\0n"), -1, B(""), "utf-8",
	    0, EOL_NONE, 0 },
};

/* Whether s[0..n) is valid UTF-8. */
static int
valid_utf8(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;
	int len;

	while (n > 0) {
		if ((len = utf8_decode(p, n, &cp)) <= 0)
			return 0;
		p += len;
		n -= (size_t)len;
	}
	return 1;
}

/* The stderr text of the last capture. */
static struct buf errtext;

/*
 * Runs text_decode() on in with stderr captured into errtext, so tests
 * can check the diagnostics.
 */
static int
decode_capture(const char *in, size_t len, struct buf *out,
    struct decode_info *info)
{
	FILE *tmp;
	int saved, rc;
	char chunk[4096];
	size_t n;

	fflush(stderr);
	ck_assert_ptr_nonnull(tmp = tmpfile());
	saved = dup(2);
	ck_assert_int_ge(saved, 0);
	ck_assert_int_ge(dup2(fileno(tmp), 2), 0);
	rc = text_decode("t.txt", (const unsigned char *)in, len, out, info);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	buf_reset(&errtext);
	rewind(tmp);
	while ((n = fread(chunk, 1, sizeof(chunk), tmp)) > 0)
		buf_put(&errtext, chunk, n);
	fclose(tmp);
	return rc;
}

/* Number of times needle occurs in errtext. */
static int
err_count(const char *needle)
{
	const char *p = buf_str(&errtext);
	int n = 0;

	while ((p = strstr(p, needle)) != NULL) {
		n++;
		p += strlen(needle);
	}
	return n;
}

START_TEST(test_decode_table)
{
	const struct dcase *c = &dcases[_i];
	struct buf out = {0};
	struct decode_info info;
	int rc;

	rc = decode_capture(c->in, c->inlen, &out, &info);
	ck_assert_msg(rc == c->rc, "%s: rc %d", c->name, rc);
	ck_assert_msg(out.len == c->outlen &&
	    (c->outlen == 0 || memcmp(out.data, c->out, c->outlen) == 0),
	    "%s: output \"%s\" (%zu bytes)", c->name, buf_str(&out), out.len);
	ck_assert_msg(memchr(buf_str(&out), 0, out.len) == NULL, "%s: NUL",
	    c->name);
	ck_assert_msg(valid_utf8(out.data, out.len), "%s: bad UTF-8", c->name);
	if (c->rc == 0) {
		ck_assert_msg(strcmp(info.encoding, c->enc) == 0,
		    "%s: encoding %s", c->name, info.encoding);
		ck_assert_msg(info.had_bom == c->bom, "%s: bom", c->name);
		ck_assert_msg(info.eol == c->eol, "%s: eol %d", c->name,
		    info.eol);
		ck_assert_msg(info.replaced == c->replaced,
		    "%s: replaced %zu", c->name, info.replaced);
		ck_assert_msg((c->replaced > 0) == (strstr(buf_str(&errtext),
		    "; replaced") != NULL), "%s: warnings: %s", c->name,
		    buf_str(&errtext));
	} else
		ck_assert_msg(strstr(buf_str(&errtext), "kbgen: t.txt:") != NULL &&
		    strstr(buf_str(&errtext),
		    ": error: binary file, not text (byte 0x") != NULL,
		    "%s: diagnostic: %s", c->name, buf_str(&errtext));
	buf_free(&out);
}
END_TEST

/* Every byte 0x80-0x9f of Windows-1252, as Microsoft's table has it. */
START_TEST(test_cp1252_table)
{
	static const uint32_t want[32] = {
		0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021,
		0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
		0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
		0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178
	};
	unsigned char in[3] = { 'x', (unsigned char)(0x80 + _i), 'y' };
	struct buf out = {0};
	struct decode_info info;
	uint32_t cp;
	int n;

	ck_assert_int_eq(text_decode("t", in, 3, &out, &info), 0);
	ck_assert_str_eq(info.encoding, "windows-1252");
	ck_assert_int_eq(out.data[0], 'x');
	n = utf8_decode((unsigned char *)out.data + 1, out.len - 1, &cp);
	ck_assert_int_gt(n, 0);
	ck_assert_uint_eq(cp, want[_i]);
	ck_assert_int_eq(out.data[1 + n], 'y');
	buf_free(&out);
}
END_TEST

START_TEST(test_warning_position)
{
	struct buf out = {0};
	struct decode_info info;

	decode_capture(B("\xc3\xa9ok\nab\xff\xc3\xa9\n"), &out, &info);
	ck_assert_msg(strstr(buf_str(&errtext), "kbgen: t.txt:2:3: warning: "
	    "invalid UTF-8 byte 0xff; replaced") != NULL, "%s",
	    buf_str(&errtext));
	decode_capture(B("\xff\xfe" "a\0\n\0b\0\r\0\n\0c\0\x3d\xd8"), &out,
	    &info);
	ck_assert_msg(strstr(buf_str(&errtext), "kbgen: t.txt:3:2: warning: "
	    "invalid UTF-16: lone surrogate 0xd83d; replaced") != NULL, "%s",
	    buf_str(&errtext));
	decode_capture(B("x\ny\0z\0\n"), &out, &info);
	ck_assert_msg(strstr(buf_str(&errtext), "kbgen: t.txt:2:2: warning: "
	    "2 NUL characters stripped") != NULL, "%s", buf_str(&errtext));
	buf_free(&out);
}
END_TEST

/* Past a few detailed warnings per file only a count is printed. */
START_TEST(test_warning_limit)
{
	struct buf in = {0}, out = {0};
	struct decode_info info;
	int i;

	buf_puts(&in, U8BOM);
	for (i = 0; i < 10; i++)
		buf_puts(&in, "\xc3\xa9\xff\n");
	decode_capture(in.data, in.len, &out, &info);
	ck_assert_uint_eq(info.replaced, 10);
	ck_assert_int_le(err_count("invalid UTF-8 byte"), 3);
	ck_assert_int_ge(err_count("invalid UTF-8 byte"), 1);
	ck_assert_int_eq(err_count("10 invalid UTF-8 sequences replaced"), 1);
	buf_free(&in);
	buf_free(&out);
}
END_TEST

/* Random bytes are binary whatever their seed. */
START_TEST(test_random_binary)
{
	unsigned char in[4096];
	uint32_t x = 2463534242u + (uint32_t)_i;
	struct buf out = {0};
	size_t i;

	for (i = 0; i < sizeof(in); i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		in[i] = (unsigned char)x;
	}
	ck_assert_int_eq(decode_capture((char *)in, sizeof(in), &out, NULL),
	    -1);
	ck_assert_uint_eq(out.len, 0);
	buf_free(&out);
}
END_TEST

/* A 10 MB line with CJK, bad bytes and a CRLF at the end, in UTF-8. */
START_TEST(test_long_line)
{
	const size_t n = 10 * 1024 * 1024;
	struct buf out = {0};
	struct decode_info info;
	char *in = xmalloc(n + 2);
	size_t i;

	for (i = 0; i + 3 <= n; i += 3)
		memcpy(in + i, i % 3000 ? "abc" : "\xe5\x90\x8c", 3);
	for (; i < n; i++)
		in[i] = 'z';
	in[n] = '\r';
	in[n + 1] = '\n';
	ck_assert_int_eq(decode_capture(in, n + 2, &out, &info), 0);
	ck_assert_str_eq(info.encoding, "utf-8");
	ck_assert_int_eq(info.eol, EOL_CRLF);
	ck_assert_uint_eq(out.len, n + 1);
	ck_assert_int_eq(memcmp(out.data, in, n), 0);
	ck_assert_int_eq(out.data[n], '\n');
	free(in);
	buf_free(&out);
}
END_TEST

/* The same in UTF-16LE: every unit grows from 2 to 1 or 3 bytes. */
START_TEST(test_long_line_utf16)
{
	const size_t units = 5 * 1024 * 1024;
	struct buf out = {0};
	struct decode_info info;
	unsigned char *in = xmalloc(2 * units + 2);
	size_t i;

	in[0] = 0xff;
	in[1] = 0xfe;
	for (i = 0; i < units; i++) {
		in[2 + 2 * i] = i % 2 ? 0x0c : 'a';
		in[3 + 2 * i] = i % 2 ? 0x54 : 0;
	}
	ck_assert_int_eq(text_decode("t", in, 2 * units + 2, &out, &info), 0);
	ck_assert_str_eq(info.encoding, "utf-16le");
	ck_assert_uint_eq(out.len, units / 2 * 4);
	ck_assert(valid_utf8(out.data, out.len));
	free(in);
	buf_free(&out);
}
END_TEST

/* text_decode replaces what out held. */
START_TEST(test_reuse_buffer)
{
	struct buf out = {0};

	buf_puts(&out, "old content");
	ck_assert_int_eq(text_decode("t", (const unsigned char *)"new", 3,
	    &out, NULL), 0);
	ck_assert_str_eq(buf_str(&out), "new");
	ck_assert_int_eq(text_decode("t", (const unsigned char *)"", 0,
	    &out, NULL), 0);
	ck_assert_str_eq(buf_str(&out), "");
	buf_free(&out);
}
END_TEST

struct u8case {
	const char	*in;
	size_t		 len;
	int		 ret;
	uint32_t	 cp;
};

static const struct u8case u8cases[] = {
	{ B("A"), 1, 'A' },
	{ B("\x7f"), 1, 0x7f },
	{ B("\xc2\x80"), 2, 0x80 },
	{ B("\xdf\xbf"), 2, 0x7ff },
	{ B("\xe0\xa0\x80"), 3, 0x800 },
	{ B("\xef\xbf\xbf"), 3, 0xffff },
	{ B("\xf0\x90\x80\x80"), 4, 0x10000 },
	{ B("\xf4\x8f\xbf\xbf"), 4, 0x10ffff },
	{ B("\xe5\x90\x8cX"), 3, 0x540c },
	{ B(""), 0, 0 },
	{ B("\x80"), -1, 0 },
	{ B("\xbf"), -1, 0 },
	{ B("\xc0\x80"), -1, 0 },
	{ B("\xc1\xbf"), -1, 0 },
	{ B("\xe0\x9f\xbf"), -1, 0 },
	{ B("\xf0\x8f\xbf\xbf"), -1, 0 },
	{ B("\xed\xa0\x80"), -1, 0 },
	{ B("\xed\xbf\xbf"), -1, 0 },
	{ B("\xf4\x90\x80\x80"), -1, 0 },
	{ B("\xf5\x80\x80\x80"), -1, 0 },
	{ B("\xff"), -1, 0 },
	{ B("\xc3"), -1, 0 },
	{ B("\xe5\x90"), -1, 0 },
	{ B("\xf0\x9f\x98"), -1, 0 },
	{ B("\xc3\x41"), -1, 0 },
};

START_TEST(test_utf8_decode)
{
	const struct u8case *c = &u8cases[_i];
	uint32_t cp = 0;
	int n;

	n = utf8_decode((const unsigned char *)c->in, c->len, &cp);
	ck_assert_msg(n == c->ret, "case %d: %d", _i, n);
	if (n > 0)
		ck_assert_uint_eq(cp, c->cp);
}
END_TEST

START_TEST(test_utf8_encode)
{
	static const uint32_t cps[] = { 0, 0x41, 0x7f, 0x80, 0x7ff, 0x800,
	    0xd7ff, 0xe000, 0xfffd, 0xffff, 0x10000, 0x1f600, 0x10ffff };
	char out[4];
	uint32_t cp;
	size_t i, n;

	for (i = 0; i < sizeof(cps) / sizeof(cps[0]); i++) {
		n = utf8_encode(cps[i], out);
		ck_assert_int_eq(utf8_decode((unsigned char *)out, n, &cp),
		    (int)n);
		ck_assert_uint_eq(cp, cps[i]);
	}
	ck_assert_uint_eq(utf8_encode(0xd800, out), 3);
	ck_assert_int_eq(memcmp(out, FFFD, 3), 0);
	ck_assert_uint_eq(utf8_encode(0x110000, out), 3);
	ck_assert_int_eq(memcmp(out, FFFD, 3), 0);
}
END_TEST

struct cjkcase {
	uint32_t	 cp;
	int		 cjk;
};

static const struct cjkcase cjkcases[] = {
	{ 0x540c, 1 },		/* 同 */
	{ 0x4e00, 1 },		/* 一 */
	{ 0x9fff, 1 },
	{ 0x3400, 1 },		/* extension A */
	{ 0x20000, 1 },		/* extension B */
	{ 0x2a700, 1 },		/* extension C */
	{ 0x31350, 1 },		/* extension H */
	{ 0xf900, 1 },		/* compatibility ideograph */
	{ 0x2f800, 1 },		/* compatibility supplement */
	{ 0x3042, 1 },		/* あ */
	{ 0x30a2, 1 },		/* ア */
	{ 0x30fc, 1 },		/* ー */
	{ 0xff71, 1 },		/* halfwidth ア */
	{ 0xac00, 1 },		/* 가 */
	{ 0xd7a3, 1 },		/* 힣 */
	{ 0x1100, 1 },		/* jamo ᄀ */
	{ 0x3131, 1 },		/* compatibility jamo ㄱ */
	{ 0x3005, 1 },		/* 々 */
	{ 0x3000, 0 },		/* ideographic space */
	{ 0x3001, 0 },		/* 、 */
	{ 0x3002, 0 },		/* 。 */
	{ 0x300c, 0 },		/* 「 */
	{ 0x3010, 0 },		/* 【 */
	{ 0x30fb, 0 },		/* ・ */
	{ 0xff0c, 0 },		/* fullwidth comma */
	{ 0xff61, 0 },		/* halfwidth 。 */
	{ 0xff21, 0 },		/* fullwidth A */
	{ 0x2f00, 0 },		/* Kangxi radical */
	{ 'a', 0 },
	{ 0xe9, 0 },
	{ 0x42f, 0 },		/* Я */
	{ 0x1f600, 0 },
};

START_TEST(test_cp_is_cjk)
{
	const struct cjkcase *c = &cjkcases[_i];

	ck_assert_msg(cp_is_cjk(c->cp) == c->cjk, "U+%04X",
	    (unsigned)c->cp);
}
END_TEST

struct scriptcase {
	const char	*text;
	const char	*locale;
};

static const struct scriptcase scriptcases[] = {
	{ "WSUS 同步失败时，请检查日志。", "zh-cn" },
	{ "运行 wsusutil.exe postinstall 命令以完成安装", "zh-cn" },
	{ "同期に失敗しました", "ja-jp" },
	{ "ログ", "ja-jp" },
	{ "WSUS の同期に失敗しました。", "ja-jp" },
	{ "동기화에 실패했습니다", "ko-kr" },
	{ "WSUS 동기화에 실패했습니다. 로그를 확인하세요.", "ko-kr" },
	{ "Синхронизация WSUS не удалась", "ru-ru" },
	{ "Запустите команду wsusutil.exe", "ru-ru" },
	{ "Synchronisierung fehlgeschlagen", NULL },
	{ "Message ID 6703 - WSUS Synchronization Failed", NULL },
	{ "The Chinese word 同步 means sync.", NULL },
	{ "12345 ... !!!", NULL },
	{ "", NULL },
};

START_TEST(test_detect_script)
{
	const struct scriptcase *c = &scriptcases[_i];
	const char *got = detect_script_locale(c->text, strlen(c->text));

	if (c->locale == NULL)
		ck_assert_msg(got == NULL, "%s: %s", c->text, got);
	else
		ck_assert_msg(got != NULL && strcmp(got, c->locale) == 0,
		    "%s: %s", c->text, got ? got : "NULL");
}
END_TEST

#define NELEM(a)	((int)(sizeof(a) / sizeof((a)[0])))

static Suite *
encoding_suite(void)
{
	Suite *s = suite_create("encoding");
	TCase *tc;

	tc = tcase_create("decode");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_decode_table, 0, NELEM(dcases));
	tcase_add_loop_test(tc, test_cp1252_table, 0, 32);
	tcase_add_test(tc, test_warning_position);
	tcase_add_test(tc, test_warning_limit);
	tcase_add_loop_test(tc, test_random_binary, 0, 8);
	tcase_add_test(tc, test_long_line);
	tcase_add_test(tc, test_long_line_utf16);
	tcase_add_test(tc, test_reuse_buffer);
	suite_add_tcase(s, tc);

	tc = tcase_create("helpers");
	tcase_add_loop_test(tc, test_utf8_decode, 0, NELEM(u8cases));
	tcase_add_test(tc, test_utf8_encode);
	tcase_add_loop_test(tc, test_cp_is_cjk, 0, NELEM(cjkcases));
	tcase_add_loop_test(tc, test_detect_script, 0, NELEM(scriptcases));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(encoding_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	buf_free(&errtext);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
