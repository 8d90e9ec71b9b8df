// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "scan/pcap.h"

/* The link type libpcap's DLT_ value stands for; false when unsupported. */
static bool rbi_pcap_link(int dlt, enum rbi_link *link)
{
	static const struct {
		int dlt;
		enum rbi_link link;
	} map[] = {
		{ DLT_EN10MB, RBI_LINK_ETHER },
		{ DLT_LINUX_SLL, RBI_LINK_SLL },
		{ DLT_LINUX_SLL2, RBI_LINK_SLL2 },
		{ DLT_RAW, RBI_LINK_RAW },
		{ DLT_IPV4, RBI_LINK_RAW },
		{ DLT_IPV6, RBI_LINK_RAW },
		{ DLT_PPP, RBI_LINK_PPP },
		{ DLT_PPP_SERIAL, RBI_LINK_PPP },
		{ DLT_PPP_ETHER, RBI_LINK_PPPOE },
		{ DLT_NULL, RBI_LINK_NULL },
		{ DLT_LOOP, RBI_LINK_LOOP },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (map[i].dlt == dlt) {
			*link = map[i].link;
			return true;
		}
	}
	return false;
}

static int rbi_pcap_fail(struct rbi_pcap *c, const char *what,
			 const char *why)
{
	snprintf(c->err, sizeof(c->err), "%s: %s", what, why);
	rbi_pcap_close(c);
	return -1;
}

static pcap_t *rbi_pcap_live(const char *iface, bool promisc, char *err)
{
	pcap_t *pc = pcap_create(iface, err);

	if (!pc)
		return NULL;
	/* Flows are printed as they are classified, not when a buffer fills. */
	if (pcap_set_snaplen(pc, RBI_PCAP_SNAPLEN) ||
	    pcap_set_promisc(pc, promisc) ||
	    pcap_set_timeout(pc, RBI_PCAP_TICK_MS) ||
	    pcap_set_immediate_mode(pc, 1) || pcap_activate(pc) < 0) {
		snprintf(err, PCAP_ERRBUF_SIZE, "%s", pcap_geterr(pc));
		pcap_close(pc);
		return NULL;
	}
	return pc;
}

/* path, or for "-" standard input (a copy: closing it leaves fd 0). */
static FILE *rbi_pcap_fopen(const char *path)
{
	int fd;
	FILE *f;

	if (strcmp(path, "-"))
		return fopen(path, "rbe");
	fd = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 0);
	if (fd < 0)
		return NULL;
	f = fdopen(fd, "rb");
	if (!f)
		close(fd);
	return f;
}

void *rbi_pcap_open_file(const char *path, char *buf, char *err)
{
	FILE *f = rbi_pcap_fopen(path);
	pcap_t *pc;

	if (!f) {
		snprintf(err, PCAP_ERRBUF_SIZE, "%s", strerror(errno));
		return NULL;
	}
	setvbuf(f, buf, _IOFBF, RBI_PCAP_READ_BUF);
	pc = pcap_fopen_offline(f, err);
	if (!pc)
		fclose(f);
	return pc;
}

static int rbi_pcap_filter(struct rbi_pcap *c, const char *what,
			   const char *filter)
{
	struct bpf_program prog;
	char why[RBI_PCAP_WHY_LEN];
	int rc;

	if (pcap_compile(c->pc, &prog, filter, 1, PCAP_NETMASK_UNKNOWN)) {
		snprintf(why, sizeof(why), "filter '%s': %s", filter,
			 pcap_geterr(c->pc));
		return rbi_pcap_fail(c, what, why);
	}
	rc = pcap_setfilter(c->pc, &prog);
	pcap_freecode(&prog);
	if (rc) {
		snprintf(why, sizeof(why), "filter: %s", pcap_geterr(c->pc));
		return rbi_pcap_fail(c, what, why);
	}
	return 0;
}

int rbi_pcap_open(struct rbi_pcap *c, const char *what, bool live,
		  bool promisc, const char *filter)
{
	char err[PCAP_ERRBUF_SIZE] = "", why[RBI_PCAP_WHY_LEN];
	const char *desc;
	int dlt;

	memset(c, 0, sizeof(*c));
	c->live = live;
	if (live) {
		c->pc = rbi_pcap_live(what, promisc, err);
	} else {
		c->buf = malloc(RBI_PCAP_READ_BUF);
		if (!c->buf)
			return rbi_pcap_fail(c, what, "out of memory");
		c->pc = rbi_pcap_open_file(what, c->buf, err);
	}
	if (!c->pc)
		return rbi_pcap_fail(c, what, err);
	dlt = pcap_datalink(c->pc);
	if (!rbi_pcap_link(dlt, &c->link)) {
		desc = pcap_datalink_val_to_description(dlt);
		snprintf(why, sizeof(why), "link type %s (%d%s%s) is not "
			 "supported; rbictl reads Ethernet (with VLAN tags), "
			 "Linux cooked v1 and v2, raw IPv4/IPv6, PPP, PPPoE "
			 "and BSD loopback captures",
			 pcap_datalink_val_to_name(dlt) ?
			 pcap_datalink_val_to_name(dlt) : "unknown", dlt,
			 desc ? ", " : "", desc ? desc : "");
		return rbi_pcap_fail(c, what, why);
	}
	if (filter && rbi_pcap_filter(c, what, filter))
		return -1;
	return 0;
}

void rbi_pcap_close(struct rbi_pcap *c)
{
	if (c->pc)
		pcap_close(c->pc);
	c->pc = NULL;
	free(c->buf);
	c->buf = NULL;
}

int64_t rbi_pcap_offset(const struct rbi_pcap *c)
{
	FILE *f = c->live ? NULL : pcap_file(c->pc);

	return f ? (int64_t)ftello(f) : -1;
}

static uint64_t rbi_pcap_now(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (uint64_t)tv.tv_sec * 1000000 + (uint64_t)tv.tv_usec;
}

/* What libpcap says was lost, once a live capture ends. */
static enum rbi_pcap_end rbi_pcap_live_end(struct rbi_pcap *c,
					   enum rbi_pcap_end end)
{
	struct pcap_stat st;

	if (c->live && !pcap_stats(c->pc, &st)) {
		c->dropped = st.ps_drop;
		c->if_dropped = st.ps_ifdrop;
	}
	return end;
}

/* What libpcap's callback needs to hand a frame on. */
struct rbi_pcap_cb {
	struct rbi_pcap *c;
	rbi_pcap_frame_fn frame;
	void *ctx;
	uint64_t n;
};

static void rbi_pcap_frame(struct rbi_pcap_cb *cb, const struct pcap_pkthdr *h,
			   const u_char *data)
{
	uint64_t ts = (uint64_t)h->ts.tv_sec * 1000000 +
		      (uint64_t)h->ts.tv_usec;

	cb->frame(cb->ctx, cb->c->link, ts, data, h->caplen, h->len);
	cb->n++;
}

static void rbi_pcap_handler(u_char *user, const struct pcap_pkthdr *h,
			     const u_char *data)
{
	rbi_pcap_frame((struct rbi_pcap_cb *)user, h, data);
}

/*
 * A live capture. SIGINT and SIGTERM are let through only while waiting
 * in ppoll(), so that a signal ends the wait at once and never slips in
 * between the look at stop and the wait; a quiet interface still ticks.
 */
static enum rbi_pcap_end rbi_pcap_run_live(struct rbi_pcap *c,
					   struct rbi_pcap_cb *cb,
					   rbi_pcap_tick_fn tick,
					   volatile sig_atomic_t *stop,
					   uint64_t count)
{
	const struct timespec wait = { 0, RBI_PCAP_TICK_MS * 1000000L };
	enum rbi_pcap_end end = RBI_PCAP_STOPPED;
	struct pollfd pfd = { .events = POLLIN };
	sigset_t block, old;
	int rc, max;

	pfd.fd = pcap_get_selectable_fd(c->pc);
	if (pfd.fd < 0 || pcap_setnonblock(c->pc, 1, c->err) < 0) {
		snprintf(c->err, sizeof(c->err), "cannot wait for packets");
		return RBI_PCAP_ERROR;
	}
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &old);
	while (!(stop && *stop) && (!count || cb->n < count)) {
		rc = ppoll(&pfd, 1, &wait, &old);
		if (rc < 0 && errno != EINTR) {
			snprintf(c->err, sizeof(c->err), "%s", strerror(errno));
			end = RBI_PCAP_ERROR;
			break;
		}
		if (rc == 0 && tick)
			tick(cb->ctx, rbi_pcap_now());
		if (rc <= 0)
			continue;
		max = count && count - cb->n < INT_MAX ? (int)(count - cb->n) :
		      -1;
		if (pcap_dispatch(c->pc, max, rbi_pcap_handler,
				  (u_char *)cb) == PCAP_ERROR) {
			snprintf(c->err, sizeof(c->err), "%s",
				 pcap_geterr(c->pc));
			end = RBI_PCAP_ERROR;
			break;
		}
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return rbi_pcap_live_end(c, end);
}

enum rbi_pcap_end rbi_pcap_run(struct rbi_pcap *c, rbi_pcap_frame_fn frame,
			       rbi_pcap_tick_fn tick, void *ctx,
			       volatile sig_atomic_t *stop, uint64_t count)
{
	struct rbi_pcap_cb cb = { c, frame, ctx, 0 };
	struct pcap_pkthdr *h;
	const u_char *data;
	int rc;

	if (c->live)
		return rbi_pcap_run_live(c, &cb, tick, stop, count);
	while (!(stop && *stop) && (!count || cb.n < count)) {
		rc = pcap_next_ex(c->pc, &h, &data);
		if (rc == PCAP_ERROR_BREAK)
			return RBI_PCAP_EOF;
		if (rc < 0) {
			snprintf(c->err, sizeof(c->err), "%s",
				 pcap_geterr(c->pc));
			return RBI_PCAP_ERROR;
		}
		rbi_pcap_frame(&cb, h, data);
	}
	return RBI_PCAP_STOPPED;
}
