/*
 * fuzz_mustache.c -- libFuzzer target for mustache.c: the input is
 * compiled as a template and rendered against a fixed data model (strings
 * full of markup, lists, nested maps, numbers, a dynamic partial name),
 * with a loader that answers every partial or parent name with the input
 * itself, so {{>x}} and {{<x}} recurse until the limits stop them.
 * Build: cmake -DKBGEN_FUZZ=ON -DCMAKE_C_COMPILER=clang; run:
 * build-fuzz/tests/fuzz_mustache tests/fuzz/seeds-mustache
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "util.h"
#include "mustache.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int	LLVMFuzzerInitialize(int *, char ***);

static struct mu_value *data;

struct input {
	const uint8_t	*p;
	size_t		 len;
};

/* Every name is the input itself. */
static int
load_self(void *arg, const char *name, struct buf *text, struct buf *err)
{
	const struct input *in = arg;

	buf_put(text, in->p, in->len);
	return 0;
}

/* One item of the "items" list: a map with markup and a nested list. */
static void
add_item(struct mu_value *items, int i)
{
	struct mu_value *m = mu_push(items, mu_map()), *l;

	mu_set(m, "name", mu_str(i ? "<b>bold</b> & \"q\"" : "'x'"));
	mu_set(m, "n", mu_int(i));
	mu_set(m, "ok", mu_bool(i & 1));
	mu_set(m, "p", mu_str(i ? "a" : "b"));
	l = mu_set(m, "items", mu_list());
	mu_push(l, mu_str("{{x}}"));
	mu_push(l, mu_num("0.0"));
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct mu_value *m, *l;
	int i;

	diag_quiet = 1;
	data = mu_map();
	mu_set(data, "x", mu_str("<script>alert('x')</script>"));
	mu_set(data, "empty", mu_str(""));
	mu_set(data, "zero", mu_int(0));
	mu_set(data, "pi", mu_num("3.14"));
	mu_set(data, "t", mu_bool(1));
	mu_set(data, "f", mu_bool(0));
	mu_set(data, "null", mu_null());
	mu_set(data, "dyn", mu_str("self"));
	mu_set(data, "bad", mu_str("../../etc/passwd"));
	m = mu_set(data, "a", mu_map());
	m = mu_set(m, "b", mu_map());
	mu_set(m, "c", mu_str("deep\nline"));
	l = mu_set(data, "items", mu_list());
	for (i = 0; i < 3; i++)
		add_item(l, i);
	mu_set(data, "none", mu_list());
	for (i = 0; i < 12; i++)	/* past the size where maps are hashed */
		mu_set(data, (char[]){ 'k', (char)('a' + i), '\0' }, mu_int(i));
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *p, size_t len)
{
	struct input in = { p, len };
	struct mu_loader loader = { load_self, &in };
	struct mu_limits lim = { 0, 0, (size_t)1 << 20, 1UL << 18 };
	struct buf out = {0}, err = {0};
	struct mu_partials *partials;
	struct mu_template *t;

	if ((t = mu_compile("fuzz", (const char *)p, len, &err)) == NULL) {
		if (err.len == 0)
			__builtin_trap();	/* a failure must say why */
		buf_free(&err);
		return 0;
	}
	partials = mu_partials_new(&loader);
	mu_render_limits(t, data, partials, &lim, &out, &err);
	/* One write may pass the limit: indentation plus an escaped string. */
	if (out.len > lim.output + len * 80 + 4096)
		__builtin_trap();
	mu_partials_free(partials);
	mu_template_free(t);
	buf_free(&out);
	buf_free(&err);
	return 0;
}
