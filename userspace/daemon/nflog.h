/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Packets the rbiblock ruleset logs to NFLOG groups (rbi_nft_defs.h),
 * received with libmnl over nfnetlink_log. The packets start at the
 * network header: rbi_frame_decode(RBI_LINK_RAW, ...) reads them.
 */
#ifndef RBI_NFLOG_H
#define RBI_NFLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rbi_nflog;

struct rbi_nflog_pkt {
	uint16_t group;
	const char *prefix;	/* "" when none */
	const uint8_t *data;	/* from the network header */
	size_t len;
};

/*
 * Binds groups[0..n); copy is how many bytes of each packet to receive.
 * NULL with a sentence in err.
 */
struct rbi_nflog *rbi_nflog_open(const uint16_t *groups,
				 const uint32_t *copy, size_t n, char *err,
				 size_t len);
void rbi_nflog_close(struct rbi_nflog *l);
int rbi_nflog_fd(const struct rbi_nflog *l);

/*
 * Reads what is queued, calling cb for each packet; returns how many
 * were read, or -1 with errno. ENOBUFS means the kernel dropped some.
 */
int rbi_nflog_read(struct rbi_nflog *l,
		   void (*cb)(const struct rbi_nflog_pkt *pkt, void *ctx),
		   void *ctx);

#endif
