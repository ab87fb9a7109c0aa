/*
 * fuzz_logs2.c -- libFuzzer target for the line parsers of log_wu.c,
 * log_iis.c and log_msi.c (WindowsUpdate legacy and ETW, IIS, HTTPERR,
 * MSI, postinstall).  The first byte picks the parser (low three bits,
 * modulo 6), whether the rest goes through text_decode first like the
 * pipeline or is fed raw without NULs (bit 3), and the host zone handed over (bits
 * 4-5).  The rest is split on LF, CR stripped, each line copied into an
 * allocation of its exact size so ASan sees any read past its end, and
 * fed through open/line/finish; every sniff() also rates the text.
 * Seeds: tests/fuzz/seeds/log2-*.txt (first byte '0'..'5').
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "logs.h"
#include "encoding.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int	LLVMFuzzerInitialize(int *, char ***);

extern const struct log_parser log_wu_legacy_parser, log_wu_etw_parser,
    log_iis_parser, log_httperr_parser, log_msi_parser,
    log_postinstall_parser;

static const struct log_parser *const parsers[] = {
	&log_wu_legacy_parser, &log_wu_etw_parser, &log_iis_parser,
	&log_httperr_parser, &log_msi_parser, &log_postinstall_parser,
};

static const int32_t zones[] = { TZ_UNKNOWN, 0, 120, -420 };

/* Keeps the compiler from dropping the reads that check the records. */
static volatile size_t sink;

/* Quiets text_decode's diagnostics about binary input. */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	diag_quiet = 1;
	return 0;
}

/* Touches everything a record points to; aborts on a broken contract. */
static void
emit(struct log_env *env, const struct record *r)
{
	size_t i, n = 0;

	if (r->msg == NULL || strlen(r->msg) != r->msg_len ||
	    r->line < 1 || r->end_line < r->line ||
	    (r->nkv && r->kv == NULL) || (r->utc && r->tz_min != 0))
		abort();
	if (r->component)
		n += strlen(r->component);
	if (r->thread)
		n += strlen(r->thread);
	for (i = 0; i < r->nkv; i++)
		n += strlen(r->kv[i].key) + strlen(r->kv[i].value);
	sink += n + r->msg_len;
}

/* Diagnostics are only counted (into sink). */
static void
diagf(struct log_env *env, int level, long line, const char *fmt, ...)
{
	sink += (size_t)line;
}

/* Feeds n bytes of text line by line through parser p. */
static void
feed(const struct log_parser *p, const char *text, size_t n, int32_t tz)
{
	struct log_env env;
	const char *s = text, *end = text + n, *nl;
	size_t len;
	long lineno = 0;
	char *copy;
	void *st;

	memset(&env, 0, sizeof(env));
	env.path = "fuzz";
	env.emit = emit;
	env.diag = diagf;
	env.tz_hint = tz;
	env.tz_found = TZ_UNKNOWN;
	st = p->open(&env);
	while (s < end) {
		if ((nl = memchr(s, '\n', (size_t)(end - s))) == NULL)
			nl = end;
		len = (size_t)(nl - s);
		if (len && s[len - 1] == '\r')
			len--;
		copy = xmalloc(len ? len : 1);
		memcpy(copy, s, len);
		p->line(st, copy, len, ++lineno, (uint64_t)(s - text));
		free(copy);
		s = nl + 1;
	}
	p->finish(st);
}

/* One input: see the head comment for what the first byte selects. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct buf text = { 0 };
	const struct log_parser *p;
	size_t i, head;
	int decode;
	int32_t tz;

	if (len == 0)
		return 0;
	p = parsers[(data[0] & 7) % 6];
	decode = (data[0] & 8) == 0;
	tz = zones[(data[0] >> 4) & 3];
	data++;
	len--;
	if (decode) {
		if (text_decode("fuzz", data, len, &text, NULL) != 0)
			goto out;
	} else {
		/* Undecoded bytes, but without NULs: the line reader drops
		   them, and the record contract (no NUL) depends on it. */
		for (i = 0; i < len; i++)
			if (data[i] != '\0')
				buf_putc(&text, data[i]);
	}
	head = text.len < LOG_SNIFF_BYTES ? text.len : LOG_SNIFF_BYTES;
	for (i = 0; i < sizeof(parsers) / sizeof(parsers[0]); i++)
		sink += (size_t)parsers[i]->sniff("fuzz/u_ex240501.log",
		    buf_str(&text), head);
	feed(p, buf_str(&text), text.len, tz);
out:
	buf_free(&text);
	return 0;
}
