/*
 * ckrun.h -- the end of every unit test's main(): runs its Check suite
 * and turns the failures into the exit status.  Include after check.h.
 */
#ifndef KBGEN_CKRUN_H
#define KBGEN_CKRUN_H

#include <stdlib.h>

static int
ck_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
