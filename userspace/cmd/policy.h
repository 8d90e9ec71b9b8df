/* SPDX-License-Identifier: GPL-2.0 OR MIT */
#ifndef RBI_CMD_POLICY_H
#define RBI_CMD_POLICY_H

#include "policy/policy.h"

int rbi_cmd_policy_check(int argc, char **argv);
int rbi_cmd_policy_show(int argc, char **argv);
int rbi_cmd_policy_explain(int argc, char **argv);

extern const char rbi_help_policy_check[];
extern const char rbi_help_policy_show[];
extern const char rbi_help_policy_explain[];

#define RBI_CMDS_POLICY \
	{ "policy check", "[-p POLICY] [-q]", \
	  "validate a policy and its catalogue against the prohibition", \
	  rbi_help_policy_check, rbi_cmd_policy_check }, \
	{ "policy show", "[-p POLICY] [--json]", \
	  "print zones, services and rules with their basis", \
	  rbi_help_policy_show, rbi_cmd_policy_show }, \
	{ "policy explain", "[-p POLICY] --src ADDR [--dst ADDR] " \
	  "[--l4 tcp|udp] [--dport N] [--app APP] [--name HOST] [--ech] " \
	  "[--markers LIST]", \
	  "say what the policy decides for one flow, and why", \
	  rbi_help_policy_explain, rbi_cmd_policy_explain }

/*
 * Loads the policy every command uses: path from -p, else
 * /etc/rbiblock/policy.yaml, else the built-in default. Prints diagnostics
 * to stderr; NULL when the policy is invalid.
 */
struct rbi_policy *rbi_cli_policy_load(const char *path, unsigned int flags);

#endif
