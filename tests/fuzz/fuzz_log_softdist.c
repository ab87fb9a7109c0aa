/*
 * fuzz_log_softdist.c -- libFuzzer target for the SoftwareDistribution.log parser (log_softdist.c):
 * the bytes go through text_decode, then line by line through open /
 * line / finish (bit 0 of the first byte sets a zone hint, bit 1 hands
 * lines over in 64-byte pieces as linereader.c does with long ones),
 * then sniff(); record invariants abort().  See lt_fuzz() in
 * tests/unit/logtest.h.  Seeds: tests/fuzz/seeds/log-*.txt.
 */
#include <stddef.h>
#include <stdint.h>

#include "util.h"
#include "logs.h"
#include "encoding.h"
#include "../unit/logtest.h"

extern const struct log_parser log_softdist_parser;

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
	lt_fuzz(&log_softdist_parser, data, len);
	return 0;
}
