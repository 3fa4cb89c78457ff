/* pairscope doctor: placeholder until the subcommand lands. */
#include "cli.h"
#include <stdio.h>

int ps_cmd_doctor(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "pairscope doctor: not built yet\n");
	return 2;
}
