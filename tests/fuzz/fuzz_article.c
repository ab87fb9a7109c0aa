/*
 * fuzz_article.c -- libFuzzer target for the article readers: the bytes go
 * through text_decode (BOMs, UTF-16, invalid UTF-8, binary detection), then
 * the front matter + Markdown reader or the TechNet text reader (the first
 * byte picks which, so both get the whole input space), then the mention
 * scanner.  Build: cmake -DKBGEN_FUZZ=ON -DCMAKE_C_COMPILER=clang; run:
 * build-fuzz/tests/fuzz_article tests/fuzz/seeds
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "util.h"
#include "article.h"
#include "encoding.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int	LLVMFuzzerInitialize(int *, char ***);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	diag_quiet = 1;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct buf text = {0};
	struct decode_info info;
	struct article *a;
	int text_reader;

	if (len == 0)
		return 0;
	text_reader = data[0] == 'T';
	if (text_decode("fuzz", data, len, &text, &info) == 0 && text.len) {
		a = article_new("fuzz", text_reader ? FORMAT_TEXT : FORMAT_MARKDOWN);
		if ((text_reader ? article_text_read(a, text.data, text.len) :
		    article_md_read(a, text.data, text.len)) == 0)
			mention_collect(a);
		article_free(a);
	}
	buf_free(&text);
	return 0;
}
