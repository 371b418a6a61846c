/* commands.h: one entry point per subcommand (one file each). */
#ifndef SYNACK_COMMANDS_H
#define SYNACK_COMMANDS_H

int cmd_print(int argc, char **argv);
int cmd_analyze(int argc, char **argv);

#endif
