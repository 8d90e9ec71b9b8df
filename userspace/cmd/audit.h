/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* rbictl keygen and the rbictl audit commands. */
#ifndef CMD_AUDIT_H
#define CMD_AUDIT_H

int rbi_cmd_keygen(int argc, char **argv);
int rbi_cmd_audit_verify(int argc, char **argv);
int rbi_cmd_audit_show(int argc, char **argv);
int rbi_cmd_audit_proof(int argc, char **argv);
int rbi_cmd_audit_verify_proof(int argc, char **argv);
int rbi_cmd_audit_report(int argc, char **argv);

extern const char rbi_help_keygen[];
extern const char rbi_help_audit_verify[];
extern const char rbi_help_audit_show[];
extern const char rbi_help_audit_proof[];
extern const char rbi_help_audit_verify_proof[];
extern const char rbi_help_audit_report[];

/* Entries for rbictl's command table. */
#define RBI_CMDS_AUDIT \
	{ "keygen", "--origin ORIGIN -o PREFIX", \
	  "make an audit log signing key (PREFIX.key, PREFIX.pub)", \
	  rbi_help_keygen, rbi_cmd_keygen }, \
	{ "audit verify", "DIR --pub FILE [--json] [--strict]", \
	  "verify an audit log offline: signatures, tree, continuity", \
	  rbi_help_audit_verify, rbi_cmd_audit_verify }, \
	{ "audit show", "DIR [--since T] [--until T] [--zone Z] " \
	  "[--camera ADDR] [--service ID] [--type TYPE] " \
	  "[--format text|jsonl|csv|syslog|cef]", \
	  "filter and export audit records", \
	  rbi_help_audit_show, rbi_cmd_audit_show }, \
	{ "audit proof", "DIR --index N [--epoch E] [-o FILE]", \
	  "write a c2sp.org/tlog-proof@v1 inclusion proof for one record", \
	  rbi_help_audit_proof, rbi_cmd_audit_proof }, \
	{ "audit verify-proof", "FILE --pub FILE [--leaf FILE|-]", \
	  "check a tlog-proof offline", \
	  rbi_help_audit_verify_proof, rbi_cmd_audit_verify_proof }, \
	{ "audit report", "DIR --pub FILE [--since T] [--until T] " \
	  "-o report.html", \
	  "write a self-contained HTML report for regulators or the public", \
	  rbi_help_audit_report, rbi_cmd_audit_report }

#endif
