/* tool.h -- subcommands of the operator's tool, rkbridge. Each takes the
 * arguments after its name and returns the process exit code. */
#ifndef RKB_TOOL_H
#define RKB_TOOL_H

int tool_inspect(int argc, char **argv);
int tool_export_rdb(int argc, char **argv);
int tool_export_stream(int argc, char **argv);
int tool_verify(int argc, char **argv);
int tool_rdb2resp(int argc, char **argv);

#endif
