/* SPDX-License-Identifier: GPL-2.0 OR MIT WITH Linux-syscall-note */
/*
 * The ABI between rbiblock.ko and userspace.
 *
 * Conntrack label bits: the module classifies a flow from its first packets
 * and records the verdict in these bits of the flow's conntrack labels; the
 * chains of `table inet rbiblock` (installed by `rbictl apply`) drop, count
 * and log on them, so that the whole enforcement stays readable with
 * `nft list table inet rbiblock`, and an operator can write their own rules
 * on the same bits. The rules exist whether or not the module is loaded, so
 * loading it later needs no re-apply.
 *
 * Bit RBI_CT_LABEL_DECIDED means "classified": no more inspection. A block
 * sets RBI_CT_LABEL_RULE(rule) as well, where rule is the enum rbi_rule of
 * module/core/rbi_verdict.h (1 .. __RBI_RULE_MAX - 1), so each rule has its
 * own nft counter and log prefix. RBI_CT_LABEL_LOG marks a flow that is
 * allowed but recorded (a shared host under shared-hosts: log, or a
 * `log` enforce setting).
 */
#ifndef _UAPI_RBIBLOCK_H
#define _UAPI_RBIBLOCK_H

enum rbi_ct_label {
	RBI_CT_LABEL_DECIDED = 112,
	RBI_CT_LABEL_RULE_FIRST = 113,	/* RBI_CT_LABEL_RULE(1) */
	RBI_CT_LABEL_RULE_LAST = 121,	/* RBI_CT_LABEL_RULE(9) */
	RBI_CT_LABEL_LOG = 122,
	RBI_CT_LABEL_HIGHEST = RBI_CT_LABEL_LOG,
};

#define RBI_CT_LABEL_RULE(rule)	(RBI_CT_LABEL_DECIDED + (rule))

#endif /* _UAPI_RBIBLOCK_H */
