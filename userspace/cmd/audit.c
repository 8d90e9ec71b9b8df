// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * rbictl keygen, audit verify, audit show, audit proof, audit verify-proof
 * and audit report.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit/b64.h"
#include "audit/export.h"
#include "audit/proof.h"
#include "audit/report.h"
#include "audit/store.h"
#include "audit/time.h"
#include "audit/tree.h"
#include "audit/verify.h"
#include "cmd/cli.h"
#include "cmd/commands.h"
#include "util/plural.h"

enum {
	RBI_PROOF_FILE_MAX = 1 << 20,
};

const char rbi_help_keygen[] =
"Makes an Ed25519 key for signing audit checkpoints, in the C2SP\n"
"signed-note formats:\n"
"  PREFIX.key  PRIVATE+KEY+ORIGIN+KEYID+KEY (mode 0600; rbictl run refuses\n"
"              it if the group or others can read it)\n"
"  PREFIX.pub  ORIGIN+KEYID+KEY, the verifier key to publish\n"
"Existing files are never overwritten.\n\n"
"Options:\n"
"  --origin ORIGIN  the key name, normally audit.origin, e.g.\n"
"                   gw1.city.example/rbiblock (no spaces or '+')\n"
"  -o PREFIX        where to write the two files\n"
"  -h, --help       this text\n\n"
"Exit status: 0 written, 1 a file exists or could not be written, 2\n"
"usage error.";

const char rbi_help_audit_verify[] =
"Verifies an audit log directory offline, with only the public key.\n"
"Exit 0 only when it is intact: every checkpoint signature, every\n"
"checkpoint's root recomputed from the leaves, consistency between\n"
"consecutive checkpoints, no record changed, added, removed or moved,\n"
"heartbeats never more than period + grace apart (grace = period/4, at\n"
"least 2s, at most 60s), every heartbeat and block under the policy\n"
"record whose sha256 it cites, every start citing the last checkpoint\n"
"before it. Exit 1 otherwise, naming each fault with its leaf indexes\n"
"and time bounds.\n\n"
"Gaps the log declares itself (restarts after a crash, write failures,\n"
"clock jumps, retention), periods between a stop and the next start,\n"
"and segments deleted by retention are listed but are not faults,\n"
"unless --strict is given.\n\n"
"Options:\n"
"  --pub FILE   the verifier key (PREFIX.pub from rbictl keygen)\n"
"  --json       print the result as one JSON object\n"
"  --strict     count declared gaps and stopped periods as faults\n"
"  -h, --help   this text\n\n"
"Exit status: 0 intact, 1 not intact or unreadable, 2 usage error.";

const char rbi_help_audit_show[] =
"Prints audit records, oldest first, without verifying them (use\n"
"rbictl audit verify for that).\n\n"
"Options:\n"
"  --since T, --until T  RFC 3339 times (2026-11-26T10:00:00Z), dates\n"
"                        (2026-11-26), now, or relative: -24h, -30m, -7d\n"
"  --zone Z, --camera ADDR, --service ID\n"
"                        only flow records (block, log) with that field\n"
"  --type TYPE           policy, block, heartbeat, start, stop, gap or log\n"
"                        (a flow allowed but recorded)\n"
"  --format F            text (default), jsonl (the records verbatim),\n"
"                        csv (RFC 4180, CRLF; a cell starting with =, +,\n"
"                        -, @ gets a leading ' so spreadsheets never run\n"
"                        it), syslog (RFC 5424 with structured data; the\n"
"                        HOSTNAME is the gateway's log origin), cef\n"
"                        (ArcSight CEF). In every format a flow's source\n"
"                        is the side that opened it.\n"
"  -h, --help            this text\n\n"
"Exit status: 0 shown (whether or not any record matched), 1 the log\n"
"could not be read (or there is none), 2 usage error.";

const char rbi_help_audit_proof[] =
"Writes a c2sp.org/tlog-proof@v1 file proving that record N is in the\n"
"log, against its latest signed checkpoint:\n\n"
"  c2sp.org/tlog-proof@v1\n"
"  extra <base64 of the record line, without its newline>\n"
"  index <N>\n"
"  <inclusion proof, one base64 hash per line>\n\n"
"  <the signed checkpoint>\n\n"
"The record rides along in the optional 'extra' line, so the file alone\n"
"suffices for rbictl audit verify-proof.\n\n"
"Options:\n"
"  --index N    the record's leaf index (its idx field)\n"
"  --epoch E    the log epoch (default: the latest)\n"
"  -o FILE      write to FILE instead of standard output\n"
"  -h, --help   this text\n\n"
"Exit status: 0 written, 1 no such record, no signed checkpoint covers\n"
"it, or the log could not be read, 2 usage error.";

const char rbi_help_audit_verify_proof[] =
"Checks a c2sp.org/tlog-proof@v1 file: the checkpoint's signature by\n"
"the key, then the inclusion of the leaf in the signed tree. The leaf is\n"
"the record line given with --leaf (a file, or - for standard input; one\n"
"trailing newline is ignored), or else the record in the proof's extra\n"
"line. Exit 0 when it verifies, 1 when it does not.\n\n"
"Options:\n"
"  --pub FILE    the verifier key\n"
"  --leaf FILE   the record to check, instead of the embedded one\n"
"  -h, --help    this text\n\n"
"Exit status: 0 verifies, 1 does not, 2 usage error.";

const char rbi_help_audit_report[] =
"Verifies the log and writes one self-contained HTML page that a venue\n"
"can publish (no scripts, nothing loaded from elsewhere, readable on a\n"
"phone, printable). In this order: the verdict in one sentence (intact or\n"
"not, for which gateway and period, and the share of that period that\n"
"heartbeats prove enforced); what was enforced, checked against each part\n"
"of the prohibition, and what was not; a timeline of proven enforcement,\n"
"gaps, policy changes and blocks; blocks by zone, service and category\n"
"(flows, and their packets) and flows allowed but recorded; how to check\n"
"it yourself, with the full public key and the commands; every gap and\n"
"fault in UTC and in the gateway's local time. Exit 0 when the log is\n"
"intact, 1 when it is not (the report is written either way, marked\n"
"unverified throughout).\n\n"
"Options:\n"
"  --pub FILE            the verifier key\n"
"  --since T, --until T  the period to report on (times as for audit\n"
"                        show; default: from the first to the last\n"
"                        record). Sessions already running at --since\n"
"                        are included; gaps wholly outside the period are\n"
"                        left out; blocks are counted within it. The\n"
"                        whole log is verified whatever the period.\n"
"  -o FILE               the report to write\n"
"  -h, --help            this text\n\n"
"Exit status: 0 intact, 1 not intact (the report says why) or the\n"
"report could not be written, 2 usage error.";

#define RBI_NEED_DIR	"one log directory is needed"

int rbi_cmd_keygen(int argc, char **argv)
{
	const struct rbi_cmd *cmd = rbi_cli_find("keygen");
	struct rbi_buf pub = RBI_BUF_INIT;
	const char *origin = NULL, *prefix = NULL;
	const struct rbi_cli_opt opts[] = {
		RBI_CLI_VALUE("origin", 0, &origin),
		RBI_CLI_VALUE("output", 'o', &prefix),
		RBI_CLI_END
	};
	char kpath[4096], ppath[4096], err[4200];
	struct rbi_audit_key k;
	int rc = rbi_cli_parse(cmd, argc, argv, opts, 0, 0, NULL);

	if (rc >= 0)
		return rc;
	if (!origin || !prefix)
		return rbi_cli_usage(cmd, "--origin and -o are required");
	if (!rbi_audit_name_valid(origin, strlen(origin)))
		return rbi_cli_usage(cmd, "the origin must be UTF-8 without "
				     "spaces or '+'");
	snprintf(kpath, sizeof(kpath), "%s.key", prefix);
	snprintf(ppath, sizeof(ppath), "%s.pub", prefix);
	if (rbi_audit_key_generate(origin, &k)) {
		fprintf(stderr, "rbictl keygen: no random key: libcrypto "
			"failed\n");
		return RBI_EXIT_FAIL;
	}
	rc = rbi_audit_key_save(&k, kpath, ppath, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "rbictl keygen: %s: choose another -o\n", err);
	} else {
		rbi_audit_vkey_format(&k, &pub);
		printf("wrote %s (secret, mode 0600) and %s:\n%s\n", kpath,
		       ppath, rbi_buf_str(&pub));
	}
	memset(&k, 0, sizeof(k));
	rbi_buf_free(&pub);
	return rc ? RBI_EXIT_FAIL : RBI_EXIT_OK;
}

static int rbi_load_pub(const struct rbi_cmd *cmd, const char *path,
			struct rbi_audit_key *k)
{
	char err[512];

	if (!path)
		return rbi_cli_usage(cmd, "--pub FILE is required");
	if (rbi_audit_vkey_load(path, k, err, sizeof(err))) {
		fprintf(stderr, "rbictl %s: %s\n", cmd->name, err);
		return RBI_EXIT_FAIL;
	}
	return RBI_EXIT_OK;
}

static void rbi_put(struct rbi_buf *b, FILE *f)
{
	if (b->len)
		fwrite(b->data, 1, b->len, f);
	rbi_buf_reset(b);
}

int rbi_cmd_audit_verify(int argc, char **argv)
{
	const struct rbi_cmd *cmd = rbi_cli_find("audit verify");
	struct rbi_audit_verify_opts vo = { false, NULL, NULL };
	struct rbi_buf out = RBI_BUF_INIT;
	struct rbi_audit_result res;
	const char *pub = NULL;
	struct rbi_audit_key k;
	bool json = false;
	const struct rbi_cli_opt opts[] = {
		RBI_CLI_VALUE("pub", 0, &pub),
		RBI_CLI_FLAG("json", 0, &json),
		RBI_CLI_FLAG("strict", 0, &vo.strict),
		RBI_CLI_END
	};
	char err[512];
	int rc = rbi_cli_parse(cmd, argc, argv, opts, 1, 1, RBI_NEED_DIR);

	if (rc >= 0)
		return rc;
	rc = rbi_load_pub(cmd, pub, &k);
	if (rc)
		return rc;
	if (rbi_audit_verify_dir(argv[optind], &k, &vo, &res, err,
				 sizeof(err))) {
		fprintf(stderr, "rbictl audit verify: %s\n", err);
		rbi_audit_result_free(&res);
		return RBI_EXIT_FAIL;
	}
	if (json)
		rbi_audit_result_json(&res, &out);
	else
		rbi_audit_result_text(&res, &out);
	rbi_put(&out, stdout);
	rc = res.ok ? RBI_EXIT_OK : RBI_EXIT_FAIL;
	rbi_audit_result_free(&res);
	rbi_buf_free(&out);
	return rc;
}

struct rbi_show {
	struct rbi_audit_filter f;
	enum rbi_audit_format fmt;
	struct rbi_buf out, tmp;
};

static int rbi_show_one(void *ctx, const struct rbi_audit_rec *r,
			const char *line, size_t len, const char *origin)
{
	struct rbi_show *s = ctx;

	if (!rbi_audit_filter_match(&s->f, r, &s->tmp))
		return RBI_AUDIT_OK;
	rbi_audit_export_record(s->fmt, r, line, len, origin, &s->out);
	if (s->out.len > 1 << 16)
		rbi_put(&s->out, stdout);
	return ferror(stdout) ? RBI_AUDIT_EIO : RBI_AUDIT_OK;
}

/* The time filter of show and report, as given. */
struct rbi_show_times {
	const char *since, *until;
};

/* Checks the times into s's filter: -1 when both are good. */
static int rbi_show_times(const struct rbi_cmd *cmd,
			  const struct rbi_show_times *t, struct rbi_show *s)
{
	int64_t now = rbi_audit_now_us();

	if ((t->since && rbi_audit_time_arg(t->since, now, &s->f.since)) ||
	    (t->until && rbi_audit_time_arg(t->until, now, &s->f.until)))
		return rbi_cli_usage(cmd, "times are RFC 3339, YYYY-MM-DD, "
				     "now, or relative like -24h");
	return -1;
}

int rbi_cmd_audit_show(int argc, char **argv)
{
	const struct rbi_cmd *cmd = rbi_cli_find("audit show");
	const char *type = NULL, *format = NULL;
	struct rbi_show_times t = { NULL, NULL };
	char err[512] = "";
	struct rbi_show s;
	const struct rbi_cli_opt opts[] = {
		RBI_CLI_VALUE("since", 0, &t.since),
		RBI_CLI_VALUE("until", 0, &t.until),
		RBI_CLI_VALUE("zone", 0, &s.f.zone),
		RBI_CLI_VALUE("camera", 0, &s.f.camera),
		RBI_CLI_VALUE("service", 0, &s.f.service),
		RBI_CLI_VALUE("type", 0, &type),
		RBI_CLI_VALUE("format", 0, &format),
		RBI_CLI_END
	};
	int rc;

	memset(&s, 0, sizeof(s));
	s.f.type = -1;
	rc = rbi_cli_parse(cmd, argc, argv, opts, 1, 1, RBI_NEED_DIR);
	if (rc < 0)
		rc = rbi_show_times(cmd, &t, &s);
	if (rc >= 0)
		return rc;
	if (type) {
		s.f.type = rbi_audit_rec_type_parse(type, strlen(type));
		if (s.f.type < 0) {
			rbi_audit_rec_type_list(&s.tmp);
			rc = rbi_cli_usage(cmd, "--type is one of %s",
					   rbi_buf_str(&s.tmp));
			rbi_buf_free(&s.tmp);
			return rc;
		}
	}
	if (format) {
		rc = rbi_audit_format_parse(format);
		if (rc < 0)
			return rbi_cli_usage(cmd, "--format is text, jsonl, "
					     "csv, syslog or cef");
		s.fmt = (enum rbi_audit_format)rc;
	}
	rbi_audit_export_header(s.fmt, &s.out);
	rc = rbi_audit_each_record(argv[optind], rbi_show_one, &s, err,
				   sizeof(err));
	rbi_put(&s.out, stdout);
	rbi_buf_free(&s.out);
	rbi_buf_free(&s.tmp);
	if (rc) {
		fprintf(stderr, "rbictl audit show: %s\n", rc == RBI_AUDIT_EIO &&
			err[0] ? err : rbi_audit_strerror(rc));
		return RBI_EXIT_FAIL;
	}
	return fflush(stdout) ? RBI_EXIT_FAIL : RBI_EXIT_OK;
}

/* Maps a file of the chosen (or latest) epoch of the log in dir. */
static int rbi_open_epoch(const char *cmd, const char *dir, unsigned int epoch)
{
	unsigned int nums[RBI_AUDIT_EPOCHS_MAX];
	char name[RBI_AUDIT_FILE_NAME_MAX];
	size_t n = 0;
	int dfd, efd;

	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || rbi_audit_list_epochs(dfd, nums, RBI_AUDIT_EPOCHS_MAX,
					     &n) || !n) {
		fprintf(stderr, "rbictl %s: %s: %s\n", cmd, dir,
			dfd < 0 ? strerror(errno) : RBI_AUDIT_NO_LOG);
		if (dfd >= 0)
			close(dfd);
		return -1;
	}
	rbi_audit_epoch_name(epoch ? epoch : nums[n - 1], name);
	efd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (efd < 0)
		fprintf(stderr, "rbictl %s: %s/%s: %s\n", cmd, dir, name,
			strerror(errno));
	close(dfd);
	return efd;
}

/* The record line of leaf index, if its segment is still there. */
static bool rbi_find_leaf(int efd, uint64_t index, struct rbi_buf *out)
{
	char name[RBI_AUDIT_FILE_NAME_MAX];
	struct rbi_audit_map m;
	const char *line;
	size_t len, pos = 0;
	uint64_t k = 0;
	bool found = false;

	rbi_audit_seg_name(index / RBI_AUDIT_SEG_LEAVES, name);
	if (rbi_audit_map(efd, name, &m))
		return false;
	while (rbi_audit_line_next(m.p, m.n, &pos, &line, &len))
		if (k++ == index % RBI_AUDIT_SEG_LEAVES) {
			rbi_buf_add(out, line, len);
			found = true;
			break;
		}
	rbi_audit_unmap(&m);
	return found;
}

/* Builds the tlog-proof text for leaf index against the latest checkpoint. */
static int rbi_proof_build(const char *cmd, int efd, uint64_t index,
			   struct rbi_buf *out)
{
	struct rbi_audit_hash proof[RBI_AUDIT_PROOF_MAX];
	struct rbi_buf leaf = RBI_BUF_INIT;
	struct rbi_audit_checkpoint cp;
	struct rbi_audit_map cm, hm;
	const char *body_end;
	size_t count, i;
	int rc = RBI_EXIT_FAIL;

	if (rbi_audit_map(efd, RBI_AUDIT_LATEST_FILE, &cm) || !cm.n) {
		fprintf(stderr, "rbictl %s: no signed checkpoint yet: wait for "
			"a heartbeat\n", cmd);
		return RBI_EXIT_FAIL;
	}
	body_end = memmem(cm.p, cm.n, "\n\n", 2);
	if (!body_end || rbi_audit_checkpoint_parse(cm.p, (size_t)(body_end -
				cm.p) + 1, &cp) ||
	    rbi_audit_map(efd, RBI_AUDIT_LEAVES_FILE, &hm)) {
		fprintf(stderr, "rbictl %s: the log's checkpoint or leaf "
			"hashes are unreadable; run rbictl audit verify\n", cmd);
		rbi_audit_unmap(&cm);
		return RBI_EXIT_FAIL;
	}
	if (cp.size > hm.n / RBI_AUDIT_HASH_LEN) {
		fprintf(stderr, "rbictl %s: the checkpoint signs %llu %s but "
			"the log holds %llu; run rbictl audit verify\n", cmd,
			(unsigned long long)cp.size,
			rbi_plural(cp.size, "leaf", "leaves"),
			(unsigned long long)(hm.n / RBI_AUDIT_HASH_LEN));
	} else if (index >= hm.n / RBI_AUDIT_HASH_LEN) {
		fprintf(stderr, "rbictl %s: there is no leaf %llu: this log "
			"holds leaves 0 to %llu\n", cmd,
			(unsigned long long)index,
			(unsigned long long)(hm.n / RBI_AUDIT_HASH_LEN) - 1);
	} else if (index >= cp.size) {
		fprintf(stderr, "rbictl %s: leaf %llu is not covered by the "
			"latest checkpoint (size %llu) yet; it will be at the "
			"next heartbeat\n", cmd, (unsigned long long)index,
			(unsigned long long)cp.size);
	} else if (!rbi_audit_prove_inclusion((const void *)hm.p, cp.size,
					      index, proof, &count)) {
		rbi_buf_adds(out, RBI_AUDIT_PROOF_MAGIC "\n");
		if (rbi_find_leaf(efd, index, &leaf)) {
			rbi_buf_adds(out, "extra ");
			rbi_audit_b64_encode(out, leaf.data, leaf.len);
			rbi_buf_addc(out, '\n');
		}
		rbi_buf_printf(out, "index %llu\n", (unsigned long long)index);
		for (i = 0; i < count; i++) {
			rbi_audit_b64_encode(out, proof[i].b,
					     RBI_AUDIT_HASH_LEN);
			rbi_buf_addc(out, '\n');
		}
		rbi_buf_addc(out, '\n');
		rbi_buf_add(out, cm.p, cm.n);
		rc = RBI_EXIT_OK;
	}
	rbi_buf_free(&leaf);
	rbi_audit_unmap(&hm);
	rbi_audit_unmap(&cm);
	return rc;
}

static int rbi_write_out(const char *cmd, const char *path,
			 const struct rbi_buf *b)
{
	FILE *f = path ? fopen(path, "w") : stdout;

	if (!f || (b->len && fwrite(b->data, 1, b->len, f) != b->len) ||
	    (path ? fclose(f) : fflush(f))) {
		fprintf(stderr, "rbictl %s: %s: %s\n", cmd,
			path ? path : "standard output", strerror(errno));
		return RBI_EXIT_FAIL;
	}
	return RBI_EXIT_OK;
}

int rbi_cmd_audit_proof(int argc, char **argv)
{
	const struct rbi_cmd *cmd = rbi_cli_find("audit proof");
	const char *path = NULL, *index_arg = NULL, *epoch_arg = NULL;
	const struct rbi_cli_opt opts[] = {
		RBI_CLI_VALUE("index", 0, &index_arg),
		RBI_CLI_VALUE("epoch", 0, &epoch_arg),
		RBI_CLI_VALUE("output", 'o', &path),
		RBI_CLI_END
	};
	struct rbi_buf out = RBI_BUF_INIT;
	uint64_t index = 0, epoch = 0;
	int efd, rc = rbi_cli_parse(cmd, argc, argv, opts, 1, 1, RBI_NEED_DIR);

	if (rc >= 0)
		return rc;
	if (!index_arg || !rbi_audit_u64_parse(index_arg, &index))
		return rbi_cli_usage(cmd, "--index N is needed");
	if (epoch_arg && (!rbi_audit_u64_parse(epoch_arg, &epoch) || !epoch ||
			  epoch > RBI_AUDIT_EPOCHS_MAX))
		return rbi_cli_usage(cmd, "--epoch takes a number from 1");
	efd = rbi_open_epoch("audit proof", argv[optind], (unsigned int)epoch);
	if (efd < 0)
		return RBI_EXIT_FAIL;
	rc = rbi_proof_build("audit proof", efd, index, &out);
	close(efd);
	if (!rc)
		rc = rbi_write_out("audit proof", path, &out);
	rbi_buf_free(&out);
	return rc;
}

/* Reads a whole small file, or standard input for "-". */
static bool rbi_read_all(const char *path, struct rbi_buf *out, size_t max)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	char buf[8192];
	size_t n;

	if (!f)
		return false;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0 && out->len <= max)
		rbi_buf_add(out, buf, n);
	if (f != stdin)
		fclose(f);
	return !rbi_buf_failed(out) && out->len <= max;
}

static int rbi_proof_check(const struct rbi_audit_proof *pr,
			   const struct rbi_audit_key *k, const char *leaf,
			   size_t leaf_len)
{
	struct rbi_audit_checkpoint cp;
	struct rbi_audit_hash lh;
	int rc;

	rc = rbi_audit_checkpoint_open(pr->note, pr->note_len, k, 1, &cp);
	if (rc) {
		printf("FAIL: the checkpoint in the proof: %s for key %s\n",
		       rbi_audit_strerror(rc), k->name);
		return RBI_EXIT_FAIL;
	}
	rbi_audit_leaf_hash(leaf, leaf_len, &lh);
	rc = rbi_audit_verify_inclusion(pr->index, cp.size, lh.b,
					RBI_AUDIT_HASH_LEN,
					(const uint8_t *)pr->hashes.data,
					pr->hashes.len, cp.root.b,
					RBI_AUDIT_HASH_LEN);
	if (rc) {
		printf("FAIL: leaf %llu is not in %s at size %llu: %s\n",
		       (unsigned long long)pr->index, cp.origin,
		       (unsigned long long)cp.size, rbi_audit_strerror(rc));
		return RBI_EXIT_FAIL;
	}
	printf("OK: leaf %llu is in the log %s of %llu %s, signed by %s\n",
	       (unsigned long long)pr->index, cp.origin,
	       (unsigned long long)cp.size,
	       rbi_plural(cp.size, "leaf", "leaves"), k->name);
	return RBI_EXIT_OK;
}

int rbi_cmd_audit_verify_proof(int argc, char **argv)
{
	const struct rbi_cmd *cmd = rbi_cli_find("audit verify-proof");
	struct rbi_buf file = RBI_BUF_INIT, leaf = RBI_BUF_INIT;
	const char *pub = NULL, *leaf_path = NULL, *lp;
	const struct rbi_cli_opt opts[] = {
		RBI_CLI_VALUE("pub", 0, &pub),
		RBI_CLI_VALUE("leaf", 0, &leaf_path),
		RBI_CLI_END
	};
	struct rbi_audit_proof pr;
	struct rbi_audit_key k;
	size_t ll;
	char why[128];
	int rc = rbi_cli_parse(cmd, argc, argv, opts, 1, 1,
			       "one proof file is needed");

	if (rc >= 0)
		return rc;
	rc = rbi_load_pub(cmd, pub, &k);
	if (rc)
		return rc;
	memset(&pr, 0, sizeof(pr));
	rc = RBI_EXIT_FAIL;
	if (!rbi_read_all(argv[optind], &file, RBI_PROOF_FILE_MAX)) {
		fprintf(stderr, "rbictl audit verify-proof: %s: %s\n",
			argv[optind], errno ? strerror(errno) : "too large");
	} else if (rbi_audit_proof_parse(file.data, file.len, &pr, why,
				   sizeof(why))) {
		printf("FAIL: %s: %s\n", argv[optind], why);
	} else if (leaf_path && !rbi_read_all(leaf_path, &leaf,
					      RBI_AUDIT_LEAF_MAX + 1)) {
		fprintf(stderr, "rbictl audit verify-proof: %s: %s\n",
			leaf_path, errno ? strerror(errno) : "too large");
	} else if (!leaf_path && !pr.has_extra) {
		fprintf(stderr, "rbictl audit verify-proof: the proof carries "
			"no record; give it with --leaf FILE\n");
	} else {
		lp = leaf_path ? rbi_buf_str(&leaf) : rbi_buf_str(&pr.extra);
		ll = leaf_path ? leaf.len : pr.extra.len;
		if (leaf_path && ll && lp[ll - 1] == '\n')
			ll--;
		rc = rbi_proof_check(&pr, &k, lp, ll);
		if (!rc)
			printf("%.*s\n", (int)ll, lp);
	}
	rbi_audit_proof_free(&pr);
	rbi_buf_free(&file);
	rbi_buf_free(&leaf);
	return rc;
}

int rbi_cmd_audit_report(int argc, char **argv)
{
	const struct rbi_cmd *cmd = rbi_cli_find("audit report");
	struct rbi_audit_verify_opts vo = { false, rbi_audit_tally_record,
					    NULL };
	struct rbi_show_times t = { NULL, NULL };
	const char *pub = NULL, *path = NULL;
	const struct rbi_cli_opt opts[] = {
		RBI_CLI_VALUE("pub", 0, &pub),
		RBI_CLI_VALUE("since", 0, &t.since),
		RBI_CLI_VALUE("until", 0, &t.until),
		RBI_CLI_VALUE("output", 'o', &path),
		RBI_CLI_END
	};
	struct rbi_audit_report_opts ro;
	struct rbi_buf out = RBI_BUF_INIT;
	struct rbi_audit_result res;
	struct rbi_audit_key k;
	char err[512];
	struct rbi_show s;
	int rc;

	memset(&s, 0, sizeof(s));
	memset(&res, 0, sizeof(res));
	rc = rbi_cli_parse(cmd, argc, argv, opts, 1, 1, RBI_NEED_DIR);
	if (rc < 0)
		rc = rbi_show_times(cmd, &t, &s);
	if (rc >= 0)
		return rc;
	if (!path)
		return rbi_cli_usage(cmd, "-o FILE is needed");
	rc = rbi_load_pub(cmd, pub, &k);
	if (rc)
		return rc;
	vo.ctx = rbi_audit_tally_new(s.f.since, s.f.until);
	if (!vo.ctx || rbi_audit_verify_dir(argv[optind], &k, &vo, &res, err,
					    sizeof(err))) {
		fprintf(stderr, "rbictl audit report: %s\n",
			vo.ctx ? err : "out of memory");
		rbi_audit_tally_free(vo.ctx);
		rbi_audit_result_free(&res);
		return RBI_EXIT_FAIL;
	}
	rbi_audit_tally_end(vo.ctx);
	ro = (struct rbi_audit_report_opts){ argv[optind], pub, &k, s.f.since,
		s.f.until, rbi_audit_now_us() };
	rbi_audit_report_html(&ro, &res, vo.ctx, &out);
	rc = rbi_buf_failed(&out) ? RBI_EXIT_FAIL :
	     rbi_write_out("audit report", path, &out);
	if (!rc)
		printf("wrote %s: log %s\n", path,
		       res.ok ? "intact" : "NOT intact");
	if (!rc && !res.ok)
		rc = RBI_EXIT_FAIL;
	rbi_audit_tally_free(vo.ctx);
	rbi_audit_result_free(&res);
	rbi_buf_free(&out);
	return rc;
}
