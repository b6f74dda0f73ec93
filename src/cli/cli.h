/* cli.h: subcommands of the dvk program. Each returns the process exit status. */
#ifndef DVK_CLI_H
#define DVK_CLI_H
#include <stdio.h>
int cmd_init(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_units(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_token(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_heading(int argc, char **argv);
int cmd_migrate_db(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_check(int argc, char **argv);
/* The language of messages: given ("vi", "en", "sv"), else the locale's, else Vietnamese; -1 when given is unknown. */
int cli_lang(const char *given);
/* Value of --name in argv (also --name=value), or NULL. Marks it used. */
const char *opt(int argc, char **argv, const char *name);
/* True when --name is present. */
int flag(int argc, char **argv, const char *name);
/* Reports the first argument that no option used; returns 1 if there was one. */
int leftovers(int argc, char **argv, const char *cmd);
/* "usage: " (in lang; the locale's when lang < 0), the synopsis syn as it is, then each line
 * of desc (msgids, up to NULL) translated, to f. */
void cli_usage(FILE *f, int lang, const char *syn, const char *const *desc);
/* Reads a password file (first line); NULL with a message on failure. */
char *read_secret(const char *path);
#endif
