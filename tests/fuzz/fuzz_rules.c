/*
 * fuzz_rules.c -- libFuzzer target for what the matcher reads that is
 * not a log: the rule files (rules_parse, with errors reported), rule
 * globs and value comparisons; and for what it does to log text: message
 * templates (mask.c) and redaction (redact.c).  The first byte picks the
 * path so each gets the whole input space.
 * Run: build-fuzz/tests/fuzz_rules tests/fuzz/seeds
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "mask.h"
#include "redact.h"
#include "rules.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int	LLVMFuzzerInitialize(int *, char ***);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	diag_quiet = 1;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	char *s;
	size_t i;

	if (len == 0)
		return 0;
	s = xstrndup((const char *)data + 1, len - 1);
	if (data[0] % 3 == 0) {
		struct vec out = {0};
		rules_parse("fuzz.yaml", (const char *)data + 1, len - 1, &out, 1);
		for (i = 0; i < out.n; i++)
			rule_free(out.v[i]);
		vec_free(&out);
	} else if (data[0] % 3 == 1) {
		struct buf t = {0};
		struct mask_word w[64];
		const char *hosts[] = { "SUP01", "cm01.corp.example.com", NULL };
		char *half = s + strlen(s) / 2;
		size_t n;
		mask_template(&t, s, hosts);
		n = mask_words(buf_str(&t), w, 64);
		for (i = 0; i < n; i++)
			if (w[i].off + w[i].len > t.len)
				abort();
		(void)rule_glob(half, s);
		(void)rule_value_cmp(s, half);
		buf_free(&t);
	} else {
		const char *hosts[] = { "SUP01", NULL };
		struct redact *r = redact_new(hosts);
		char *a = redact_str(r, s), *b = redact_str(r, s);
		if (strcmp(a, b) != 0)		/* consistent */
			abort();
		free(a);
		free(b);
		redact_free(r);
	}
	free(s);
	return 0;
}
