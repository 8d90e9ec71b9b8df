/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * rbictl's commands. Each runs with argv[0] its name, parses its options,
 * calls into the library folders and prints; its help text is beside it.
 * The command table that names them is in cli.c.
 */
#ifndef RBI_COMMANDS_H
#define RBI_COMMANDS_H

#define RBI_COMMAND(fn)						\
	int rbi_cmd_##fn(int argc, char **argv);		\
	extern const char rbi_help_##fn[]

RBI_COMMAND(init);
RBI_COMMAND(policy_check);
RBI_COMMAND(policy_show);
RBI_COMMAND(policy_explain);
RBI_COMMAND(catalog_list);
RBI_COMMAND(catalog_show);
RBI_COMMAND(catalog_lint);
RBI_COMMAND(catalog_diff);
RBI_COMMAND(catalog_sign);
RBI_COMMAND(catalog_verify);
RBI_COMMAND(keygen);
RBI_COMMAND(audit_verify);
RBI_COMMAND(audit_show);
RBI_COMMAND(audit_proof);
RBI_COMMAND(audit_verify_proof);
RBI_COMMAND(audit_report);
RBI_COMMAND(apply);
RBI_COMMAND(status);
RBI_COMMAND(flush);
RBI_COMMAND(run);
RBI_COMMAND(scan);
RBI_COMMAND(watch);

#endif
