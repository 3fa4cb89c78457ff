/* pairscope decode: placeholder until the subcommand lands. */
#include "cli.h"
#include <stdio.h>

int ps_cmd_decode(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "pairscope decode: not built yet\n");
	return 2;
}
