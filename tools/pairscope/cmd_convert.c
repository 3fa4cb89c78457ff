/* pairscope convert: placeholder until the subcommand lands. */
#include "cli.h"
#include <stdio.h>

int ps_cmd_convert(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "pairscope convert: not built yet\n");
	return 2;
}
