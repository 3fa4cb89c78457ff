/* pairscope pair: placeholder until the subcommand lands. */
#include "cli.h"
#include <stdio.h>

int ps_cmd_pair(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "pairscope pair: not built yet\n");
	return 2;
}
