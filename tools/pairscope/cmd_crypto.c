/* pairscope crypto: placeholder until the subcommand lands. */
#include "cli.h"
#include <stdio.h>

int ps_cmd_crypto(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "pairscope crypto: not built yet\n");
	return 2;
}
