/* main.c: the subcommand table. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"

#ifndef SYNACK_VERSION
#define SYNACK_VERSION "0.1.0"
#endif

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *what;
} commands[] = {
	{ "print", cmd_print, "tcpdump-compatible packet lines" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: synack [OPTIONS] [EXPRESSION]     a verdict for every TCP handshake\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "       synack %-6s [OPTIONS]            %s\n", commands[i].name,
			commands[i].what);
	fprintf(f, "       synack --version | --help\n"
		   "See synack(1) and 'synack COMMAND --help'.\n");
}

int main(int argc, char **argv)
{
	cli_std_fds();
	if (argc >= 2) {
		if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
			usage(stdout);
			return EXIT_OK;
		}
		if (strcmp(argv[1], "--version") == 0) {
			printf("synack %s\n", SYNACK_VERSION);
			return EXIT_OK;
		}
		for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
			if (strcmp(argv[1], commands[i].name) == 0)
				return commands[i].run(argc - 1, argv + 1);
	}
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	return cmd_analyze(argc, argv);
}
