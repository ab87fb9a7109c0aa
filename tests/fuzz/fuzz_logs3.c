/*
 * fuzz_logs3.c -- libFuzzer target for the parsers of log_event.c,
 * log_config.c, log_services.c and log_registry.c.  The first byte picks
 * the parser (low three bits: 0 event XML, 1 event CSV, 2 event text,
 * 3 .evtx, 4 IIS config, 5 services, 6 appcmd, 7 registry), whether the
 * rest goes through text_decode first like the pipeline or is used raw
 * without NULs (bit 3), and the host zone handed over (bits 4-5).  LINE
 * parsers get the text split on LF, CR stripped, each line in an
 * allocation of its exact size so ASan sees any read past its end;
 * WHOLE parsers get the buffer (.evtx the raw bytes, NULs and all).
 * Every sniff() also rates the text.  Seeds: tests/fuzz/seeds/log3-*.txt
 * (first byte '0'..'7').
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
const char *__lsan_default_suppressions(void);

extern const struct log_parser log_evt_xml_parser, log_evt_csv_parser,
    log_evt_text_parser, log_evtx_parser, log_iis_config_parser,
    log_services_parser, log_appcmd_parser, log_registry_parser;

static const struct log_parser *const parsers[] = {
	&log_evt_xml_parser, &log_evt_csv_parser, &log_evt_text_parser,
	&log_evtx_parser, &log_iis_config_parser, &log_services_parser,
	&log_appcmd_parser, &log_registry_parser,
};

static const int32_t zones[] = { TZ_UNKNOWN, 0, 120, -420 };

/* Keeps the compiler from dropping the reads that check the records. */
static volatile size_t sink;

/*
 * libevtx 20181227 (Debian 12) leaks inside itself when a record's
 * binary XML is corrupt (its libfwevt error paths), even when the
 * caller frees every record; a minimal program using only libevtx shows
 * the same.  Those leaks are not ours, so allocations made inside
 * libevtx are not reported here.  Our use of the API (records, file,
 * bfio handle all freed) is checked by test_log_event under ASan, which
 * has no suppressions.
 */
const char *
__lsan_default_suppressions(void)
{
	return "leak:libevtx.so\n";
}

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
	    (r->nkv && r->kv == NULL) || (r->utc && r->tz_min != 0) ||
	    (r->local_ms == TIME_NONE && r->utc))
		abort();
	if (r->component)
		n += strlen(r->component);
	if (r->thread)
		n += strlen(r->thread);
	for (i = 0; i < r->nkv; i++)
		n += strlen(r->kv[i].key) + strlen(r->kv[i].value);
	sink += n + r->msg_len;
}

static void
diagf(struct log_env *env, int level, long line, const char *fmt, ...)
{
	sink += (size_t)line;
}

/* Feeds n bytes of text line by line through the LINE parser p. */
static void
feed(const struct log_parser *p, struct log_env *env, const char *text,
    size_t n)
{
	const char *s = text, *end = text + n, *nl;
	size_t len;
	long lineno = 0;
	char *copy;
	void *st;

	st = p->open(env);
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

/* Runs p over the text (or the raw bytes for a raw WHOLE parser), in an
 * exact-size copy. */
static void
run(const struct log_parser *p, const char *text, size_t n,
    const uint8_t *raw, size_t rawlen, int32_t tz)
{
	struct log_env env;
	char *copy;

	memset(&env, 0, sizeof(env));
	env.path = "fuzz";
	env.emit = emit;
	env.diag = diagf;
	env.tz_hint = tz;
	env.tz_found = TZ_UNKNOWN;
	if (p->whole == NULL) {
		feed(p, &env, text, n);
		return;
	}
	if (p->whole_raw)
		text = (const char *)raw, n = rawlen;
	copy = xmalloc(n ? n : 1);
	memcpy(copy, text, n);
	p->whole(&env, copy, n);
	free(copy);
}

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
	p = parsers[data[0] & 7];
	decode = (data[0] & 8) == 0;
	tz = zones[(data[0] >> 4) & 3];
	data++;
	len--;
	if (!p->whole_raw && decode) {
		if (text_decode("fuzz", data, len, &text, NULL) != 0)
			goto out;
	} else if (!p->whole_raw) {
		/* Undecoded bytes, but without NULs: the line reader drops
		   them, and the record contract (no NUL) depends on it. */
		for (i = 0; i < len; i++)
			if (data[i] != '\0')
				buf_putc(&text, data[i]);
	}
	head = text.len < LOG_SNIFF_BYTES ? text.len : LOG_SNIFF_BYTES;
	for (i = 0; i < sizeof(parsers) / sizeof(parsers[0]); i++)
		sink += (size_t)parsers[i]->sniff("fuzz/x.txt",
		    buf_str(&text), head);
	run(p, buf_str(&text), text.len, data, len, tz);
out:
	buf_free(&text);
	return 0;
}
