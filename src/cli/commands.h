/* commands.h: one entry point per subcommand (one file each). */
#ifndef SYNACK_COMMANDS_H
#define SYNACK_COMMANDS_H

#include <stdio.h>

int cmd_print(int argc, char **argv);
int cmd_analyze(int argc, char **argv);
int cmd_probe(int argc, char **argv);
/* Their usage texts (--help), for `synack --help` and `synack help COMMAND`. */
void cmd_print_usage(FILE *f);
void cmd_analyze_usage(FILE *f);
void cmd_probe_usage(FILE *f);

#endif
