/* pairscope crack: placeholder until the subcommand lands. */
#include "cli.h"
#include <stdio.h>

int ps_cmd_crack(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "pairscope crack: not built yet\n");
	return 2;
}
