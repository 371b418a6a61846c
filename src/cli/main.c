/* main.c: the subcommand table. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"

#ifndef SYNACK_VERSION
#define SYNACK_VERSION "0.1.0"
#endif

static int help(int argc, char **argv);

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	void (*usage)(FILE *f);
	const char *what;
} commands[] = {
	{ "print", cmd_print, cmd_print_usage, "tcpdump-compatible packet lines" },
	{ "probe", cmd_probe, cmd_probe_usage, "connect to HOST, capture it, give its verdict" },
};

static void commands_list(FILE *f)
{
	fprintf(f, "usage: synack [OPTIONS] [EXPRESSION]     a verdict for every TCP handshake\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "       synack %-6s [OPTIONS]            %s\n", commands[i].name,
			commands[i].what);
	fprintf(f, "       synack help [COMMAND]\n"
		   "       synack --version | --help\n");
}

/* --help: the analysis's options (the default command), then the commands. */
static void usage(FILE *f)
{
	cmd_analyze_usage(f);
	fprintf(f, "\nCommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  synack %-6s [OPTIONS] [EXPRESSION]  %s\n", commands[i].name, commands[i].what);
	fprintf(f, "  synack help [COMMAND]                 this text, or a command's\n"
		   "  synack --version\n"
		   "See synack(1).\n");
}

/* synack help [COMMAND] */
static int help(int argc, char **argv)
{
	if (argc < 2) {
		usage(stdout);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "analyze") == 0) {
		cmd_analyze_usage(stdout);
		return EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0) {
			if (commands[i].usage != NULL)
				commands[i].usage(stdout);
			return EXIT_OK;
		}
	cli_error("help: no command '%s' (commands: analyze, print, probe)", argv[1]);
	return EXIT_USAGE;
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
		if (strcmp(argv[1], "help") == 0)
			return help(argc - 1, argv + 1);
		for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
			if (strcmp(argv[1], commands[i].name) == 0)
				return commands[i].run(argc - 1, argv + 1);
	}
	if (argc < 2) {
		commands_list(stderr);
		fprintf(stderr, "See 'synack --help' for the options.\n");
		return EXIT_USAGE;
	}
	return cmd_analyze(argc, argv);
}
