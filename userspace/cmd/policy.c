// SPDX-License-Identifier: GPL-2.0 OR MIT
/* rbictl policy check | show | explain */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cli.h"
#include "cmd/commands.h"
#include "policy/describe.h"
#include "policy/explain.h"
#include "policy/facts.h"
#include "util/json.h"
#include "policy/markers.h"
#include "util/plural.h"

const char rbi_help_policy_check[] =
"Reads the policy and every catalogue file it includes, and checks them:\n"
"syntax, types, unknown keys (with a suggestion), networks, ports, name\n"
"patterns, duplicate names and ids, zones that overlap with a different\n"
"'publicly-accessible', recorders that overlap a catalogue service, and\n"
"the prohibition itself: for any publicly accessible zone the policy must\n"
"prohibit remote biometric identification, real-time and post, by public\n"
"and private actors, without exceptions, and must not allow camera\n"
"analytics. Every setting that lets prohibited practice through somewhere\n"
"is named in a warning. Catalogue directories signed by a key in\n"
"catalog.trusted-keys are verified; with trusted keys, anything unsigned,\n"
"changed or signed by another key is refused.\n"
"\n"
"A valid policy is summed up on standard output, with each catalogue it\n"
"uses: built-in or included, its release, its digest, and its signer.\n"
"Messages have the form FILE:LINE:COL: error: MESSAGE (or warning:).\n"
"\n"
"  -p, --policy FILE   the policy (default: /etc/rbiblock/policy.yaml if it\n"
"                      exists, else the built-in default policy)\n"
"  -q, --quiet         print nothing when the policy is valid (the note\n"
"                      that the built-in default is used still goes to\n"
"                      standard error)\n"
"\n"
"Exit status: 0 valid (warnings allowed), 1 invalid, 2 usage error.";

const char rbi_help_policy_show[] =
"Prints the policy as rbiblock understands it: each catalogue it uses,\n"
"with its digest and each file's sha256 (as the audit log's policy\n"
"records carry them), zones, recorders, the resolvers it names, the\n"
"services it blocks with their name patterns and networks, the enforce\n"
"settings, the audit settings, and each rule with its basis.\n"
"\n"
"  -p, --policy FILE   the policy (default as for 'policy check')\n"
"  --json              one JSON object instead of text\n\n"
"Exit status: 0 shown, 1 invalid policy, 2 usage error.";

const char rbi_help_policy_explain[] =
"Says what the policy decides for one flow and why, as one JSON object:\n"
"verdict (\"block\" or \"allow\"), zone, service, category, rule, basis and\n"
"a reason a person can read. It runs the same classifier as the kernel\n"
"module and 'rbictl scan'.\n"
"\n"
"  -p, --policy FILE   the policy (default as for 'policy check')\n"
"  --src ADDR          the flow's initiator (IPv4 or IPv6)     [required]\n"
"  --dst ADDR          the responder\n"
"  --l4 tcp|udp        default: udp for --app quic or dns, else tcp\n"
"  --dport N           default: the --app's usual port\n"
"  --sport N           the initiator's port\n"
"  --app APP           tls, http, dns, rtsp or quic\n"
"  --name HOST         the TLS or QUIC SNI, HTTP Host, DNS name or RTSP host\n"
"  --ech               the ClientHello carried Encrypted Client Hello\n"
"  --markers LIST      camera-analytics markers the flow carried, comma-\n"
"                      separated: face-library (ISAPI FDLib, Dahua face\n"
"                      database), face-recognition, face-detection,\n"
"                      face-attributes, face-expression; they count when\n"
"                      the responder is a camera in a publicly accessible\n"
"                      zone (enforce: camera-analytics)\n"
"\n"
"Examples:\n"
"  rbictl policy explain --src 10.20.0.5 --dst 198.51.100.7 --app tls \\\n"
"      --name rekognition.eu-west-1.amazonaws.com\n"
"  rbictl policy explain --src 10.10.0.5 --dst 10.20.0.5 --app http \\\n"
"      --markers face-library\n\n"
"Exit status: 0 decided (the verdict says block or allow), 1 invalid\n"
"policy, 2 usage error.";

/* The catalogues the policy uses, one a line, each file's digest too. */
static void rbi_print_catalogs(const struct rbi_policy *p, const char *indent,
			       bool files)
{
	struct rbi_buf b = RBI_BUF_INIT;

	rbi_policy_catalog_text(p, indent, files, &b);
	printf("%s", rbi_buf_str(&b));
	rbi_buf_free(&b);
}

int rbi_cmd_policy_check(int argc, char **argv)
{
	const struct rbi_cmd *cmd = rbi_cli_find("policy check");
	const char *path = NULL;
	struct rbi_config_counts n;
	struct rbi_policy *p;
	struct rbi_diags d;
	bool quiet = false;
	const struct rbi_cli_opt opts[] = {
		RBI_CLI_POLICY(&path),
		RBI_CLI_FLAG("quiet", 'q', &quiet),
		RBI_CLI_END
	};
	int rc = rbi_cli_parse(cmd, argc, argv, opts, 0, 0, NULL);

	if (rc >= 0)
		return rc;
	path = rbi_cli_policy_path(path);
	rbi_diags_init(&d);
	p = rbi_policy_load(path, 0, &d);
	rbi_diags_print(&d, stderr);
	if (p && !quiet) {
		rbi_policy_counts(p, &n);
		printf("%s: valid: %u %s, %u %s, %u %s, %u %s, %u %s, %u %s; "
		       "%u %s\n", path ? path : "built-in default policy",
		       n.zones, rbi_plural(n.zones, "zone", "zones"),
		       n.recorders, rbi_plural(n.recorders, "recorder",
					       "recorders"),
		       n.services, rbi_plural(n.services, "service",
					      "services"),
		       n.patterns, rbi_plural(n.patterns, "name pattern",
					      "name patterns"),
		       n.nets, rbi_plural(n.nets, "service network",
					  "service networks"),
		       n.doh, rbi_plural(n.doh, "resolver", "resolvers"),
		       d.warnings, rbi_plural(d.warnings, "warning",
					      "warnings"));
		rbi_print_catalogs(p, "", false);
	} else if (!p) {
		fprintf(stderr, "%s: invalid: %u %s, %u %s\n",
			path ? path : "built-in default", d.errors,
			rbi_plural(d.errors, "error", "errors"), d.warnings,
			rbi_plural(d.warnings, "warning", "warnings"));
	}
	rbi_diags_free(&d);
	rbi_policy_free(p);
	return p ? RBI_EXIT_OK : RBI_EXIT_FAIL;
}

static void rbi_json_ports(struct rbi_json *j, const struct rbi_port_range *v,
			   size_t n)
{
	struct rbi_buf b = RBI_BUF_INIT;
	size_t i;

	rbi_json_key(j, "ports");
	rbi_json_arr_begin(j);
	for (i = 0; i < n; i++) {
		rbi_buf_reset(&b);
		rbi_ports_text(&v[i], 1, &b);
		rbi_json_str(j, rbi_buf_str(&b));
	}
	rbi_json_arr_end(j);
	rbi_buf_free(&b);
}

static void rbi_policy_json(const struct rbi_policy *p, struct rbi_buf *out)
{
	struct rbi_json j;
	size_t i;

	rbi_json_init(&j, out);
	rbi_json_obj_begin(&j);
	rbi_json_kstr(&j, "name", p->name);
	rbi_json_kstr(&j, "file", p->files[0].path);
	rbi_json_kstr(&j, "sha256", p->sha256_hex);
	rbi_json_kstr(&j, "catalog_sha256", p->catalog_sha256_hex);
	rbi_json_key(&j, "catalogs");
	rbi_catalogs_json(p, &j);
	rbi_json_kbool(&j, "replaces_builtin", p->replaces_builtin);
	rbi_json_kstr(&j, "basis", p->basis);
	rbi_policy_json_prohibit(&j, p);
	rbi_policy_json_zones(&j, p);
	rbi_json_key(&j, "recorders");
	rbi_json_arr_begin(&j);
	for (i = 0; i < p->n_recorders; i++) {
		rbi_json_obj_begin(&j);
		rbi_json_kstr(&j, "name", p->recorders[i].name);
		rbi_policy_json_nets(&j, p->recorders[i].nets,
				     p->recorders[i].n_nets);
		rbi_json_ports(&j, p->recorders[i].ports,
			       p->recorders[i].n_ports);
		rbi_json_obj_end(&j);
	}
	rbi_json_arr_end(&j);
	rbi_json_key(&j, "resolvers");
	rbi_json_arr_begin(&j);
	for (i = 0; i < p->n_resolvers; i++) {
		rbi_json_obj_begin(&j);
		rbi_json_kstr(&j, "name", p->resolvers[i].name);
		rbi_policy_json_nets(&j, p->resolvers[i].nets,
				     p->resolvers[i].n_nets);
		rbi_json_obj_end(&j);
	}
	rbi_json_arr_end(&j);
	rbi_json_key(&j, "services");
	rbi_json_arr_begin(&j);
	for (i = 0; i < p->n_services; i++)
		rbi_service_json(p, &p->services[i], false, &j);
	rbi_json_arr_end(&j);
	rbi_json_key(&j, "doh_resolvers");
	rbi_json_arr_begin(&j);
	for (i = 0; i < p->n_doh; i++)
		rbi_service_json(p, &p->doh[i], false, &j);
	rbi_json_arr_end(&j);
	rbi_json_key(&j, "retired");
	rbi_json_arr_begin(&j);
	for (i = 0; i < p->n_retired; i++)
		rbi_json_str(&j, p->retired[i].id);
	rbi_json_arr_end(&j);
	rbi_json_key(&j, "exclusions");
	rbi_json_arr_begin(&j);
	for (i = 0; i < p->n_exclusions; i++)
		rbi_json_str(&j, p->exclusions[i].id);
	rbi_json_arr_end(&j);
	rbi_policy_json_enforce(&j, p);
	rbi_json_key(&j, "audit");
	rbi_json_obj_begin(&j);
	rbi_json_kstr(&j, "dir", p->audit.dir);
	rbi_json_kstr(&j, "origin", p->audit.origin);
	rbi_json_kstr(&j, "key", p->audit.key);
	rbi_json_kuint(&j, "heartbeat", p->audit.heartbeat);
	rbi_json_kuint(&j, "retention", p->audit.retention);
	rbi_json_obj_end(&j);
	rbi_json_key(&j, "rules");
	rbi_json_arr_begin(&j);
	for (i = 1; i < __RBI_RULE_MAX; i++) {
		rbi_json_obj_begin(&j);
		rbi_json_kstr(&j, "id", p->rules[i].id);
		rbi_json_kbool(&j, "active", p->rules[i].active);
		rbi_json_kstr(&j, "what", p->rules[i].what);
		rbi_json_kstr(&j, "basis", p->rules[i].basis);
		rbi_json_obj_end(&j);
	}
	rbi_json_arr_end(&j);
	rbi_json_obj_end(&j);
}

static void rbi_print_nets(const struct rbi_network *nets, size_t n)
{
	char buf[64];
	size_t i;

	for (i = 0; i < n; i++) {
		rbi_prefix_format(&nets[i].prefix, buf, sizeof(buf));
		printf(" %s", buf);
	}
}

static void rbi_print_bits(uint32_t bits, const char *(*name)(unsigned int),
			   unsigned int max)
{
	const char *sep = "";
	unsigned int i;

	for (i = 0; i < max; i++) {
		if (bits & (1u << i)) {
			printf("%s%s", sep, name(i));
			sep = ", ";
		}
	}
}

/* "ports 8800/udp,443", or nothing for any port. */
static void rbi_print_ports(const struct rbi_port_range *v, size_t n)
{
	struct rbi_buf b = RBI_BUF_INIT;

	rbi_ports_text(v, n, &b);
	if (n)
		printf(" ports %s", rbi_buf_str(&b));
	rbi_buf_free(&b);
}

static void rbi_print_service(const struct rbi_service *s)
{
	size_t k;

	printf("  %-28s ", s->id);
	rbi_print_bits(s->categories, rbi_cat_word, __RBI_CAT_MAX);
	printf("%s%s%s\n", s->shared ? " [shared]" : "",
	       s->unconfirmed ? " [unconfirmed]" : "",
	       s->local ? " [local]" : "");
	for (k = 0; k < s->n_names; k++)
		printf("      %s%s\n", s->names[k].text,
		       s->names[k].listed ? " (operator-names)" : "");
	if (s->listed && !s->n_names)
		printf("      no names: list them in "
		       "catalog.operator-names.%s\n", s->id);
	if (s->n_nets) {
		printf("     ");
		rbi_print_nets(s->nets, s->n_nets);
		rbi_print_ports(s->ports, s->n_ports);
		printf("%s\n", s->n_ports ? "" : " any port");
	}
}

static void rbi_policy_text(const struct rbi_policy *p)
{
	struct rbi_config_counts n;
	size_t i;

	rbi_policy_counts(p, &n);
	printf("policy %s\n  file %s\n  sha256 %s\n  catalogue sha256 %s\n",
	       p->name, p->files[0].path, p->sha256_hex,
	       p->catalog_sha256_hex);
	rbi_print_catalogs(p, "  ", true);
	printf("  basis: %s\n\nprohibits: ", p->basis);
	rbi_print_bits(p->prohibited, rbi_cat_word, __RBI_CAT_MAX);
	printf("\n  timing: ");
	rbi_print_bits(p->timing, rbi_policy_timing_name, 2);
	printf("; actors: ");
	rbi_print_bits(p->actors, rbi_policy_actor_name, 2);
	printf("; exceptions: %zu\n\nzones:\n", p->n_exceptions);
	for (i = 0; i < p->n_zones; i++) {
		printf("  %-20s %-26s", p->zones[i].name, p->zones[i].public ?
		       "publicly accessible" : "not publicly accessible");
		rbi_print_nets(p->zones[i].nets, p->zones[i].n_nets);
		printf("\n");
	}
	printf("\nrecorders:%s\n", p->n_recorders ? "" : " none");
	for (i = 0; i < p->n_recorders; i++) {
		printf("  %-20s", p->recorders[i].name);
		rbi_print_nets(p->recorders[i].nets, p->recorders[i].n_nets);
		rbi_print_ports(p->recorders[i].ports,
				p->recorders[i].n_ports);
		printf("\n");
	}
	/* Named or not, they decide what DNS the public zones may send. */
	printf("\nresolvers:%s\n", p->n_resolvers ? "" : " none named: DNS "
	       "to any server is allowed");
	for (i = 0; i < p->n_resolvers; i++) {
		printf("  %-20s", p->resolvers[i].name);
		rbi_print_nets(p->resolvers[i].nets, p->resolvers[i].n_nets);
		printf("\n");
	}
	printf("\nservices: %u, with %u %s and %u %s\n", n.services,
	       n.patterns, rbi_plural(n.patterns, "name pattern",
				      "name patterns"),
	       n.nets, rbi_plural(n.nets, "network", "networks"));
	for (i = 0; i < p->n_services; i++)
		rbi_print_service(&p->services[i]);
	for (i = 0; i < p->n_retired; i++)
		printf("%s%s", i ? ", " : "\nretired, on record only: ",
		       p->retired[i].id);
	for (i = 0; i < p->n_exclusions; i++)
		printf("%s%s", i ? ", " : "\nexcluded (not prohibited, see "
		       "rbictl catalog show): ", p->exclusions[i].id);
	printf("%s\nDNS-over-HTTPS resolvers: %zu\n\nenforce:",
	       p->n_retired || p->n_exclusions ? "\n" : "", p->n_doh);
	for (i = 0; i < __RBI_ENF_MAX; i++)
		printf(" %s %s,", rbi_enforce_name(i),
		       rbi_mode_name(p->mode[i]));
	printf(" on-failure %s\n\naudit: dir %s, origin %s, heartbeat %us\n"
	       "\nrules:\n", p->fail_closed ? "closed" : "open", p->audit.dir,
	       p->audit.origin, p->audit.heartbeat);
	for (i = 1; i < __RBI_RULE_MAX; i++)
		printf("  %-30s %s\n      %s\n      basis: %s\n",
		       p->rules[i].id, p->rules[i].active ? "active" :
		       "inactive", p->rules[i].what, p->rules[i].basis);
}

int rbi_cmd_policy_show(int argc, char **argv)
{
	const struct rbi_cmd *cmd = rbi_cli_find("policy show");
	struct rbi_buf out = RBI_BUF_INIT;
	const char *path = NULL;
	struct rbi_policy *p;
	bool json = false;
	const struct rbi_cli_opt opts[] = {
		RBI_CLI_POLICY(&path),
		RBI_CLI_FLAG("json", 0, &json),
		RBI_CLI_END
	};
	int rc = rbi_cli_parse(cmd, argc, argv, opts, 0, 0, NULL);

	if (rc >= 0)
		return rc;
	p = rbi_cli_policy_load(path, 0);
	if (!p)
		return RBI_EXIT_FAIL;
	if (json) {
		rbi_policy_json(p, &out);
		printf("%s\n", rbi_buf_str(&out));
		rbi_buf_free(&out);
	} else {
		rbi_policy_text(p);
	}
	rbi_policy_free(p);
	return RBI_EXIT_OK;
}

static bool rbi_parse_port(const char *s, uint16_t *port)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (*s < '0' || *s > '9' || *end || v > 65535)
		return false;
	*port = (uint16_t)v;
	return true;
}

/* The port an application usually runs on, for --app without --dport. */
static uint16_t rbi_app_port(enum rbi_app app)
{
	static const uint16_t port[__RBI_APP_MAX] = {
		[RBI_APP_TLS] = 443, [RBI_APP_HTTP] = 80, [RBI_APP_DNS] = 53,
		[RBI_APP_RTSP] = 554, [RBI_APP_QUIC] = 443,
	};

	return port[app];
}

struct rbi_explain_args {
	const char *policy;
	const char *src;
	const char *dst;
	const char *l4;
	const char *dport;
	const char *sport;
	const char *app;
	const char *name;
	const char *markers;
	bool ech;
};

static int rbi_explain_markers(const struct rbi_cmd *cmd, const char *list,
			       struct rbi_flow *f)
{
	struct rbi_buf names = RBI_BUF_INIT;
	const char *bad;
	size_t bad_len;
	int rc;

	if (!rbi_markers_parse(list, &f->markers, &bad, &bad_len))
		return RBI_EXIT_OK;
	rbi_markers_format(RBI_MARKER_ALL, ", ", &names);
	rc = rbi_cli_usage(cmd, "--markers: '%.*s' is not a marker (%s)",
			   (int)bad_len, bad, rbi_buf_str(&names));
	rbi_buf_free(&names);
	return rc;
}

static int rbi_explain_flow(const struct rbi_cmd *cmd,
			    const struct rbi_explain_args *a,
			    struct rbi_flow *f)
{
	unsigned int i;

	memset(f, 0, sizeof(*f));
	f->learned = RBI_NONE;
	if (!a->src)
		return rbi_cli_usage(cmd, "--src is required");
	if (rbi_ip_parse(a->src, strlen(a->src), &f->src))
		return rbi_cli_usage(cmd, "--src '%s' is not an IPv4 or IPv6 "
				     "address", a->src);
	if (a->dst && rbi_ip_parse(a->dst, strlen(a->dst), &f->dst))
		return rbi_cli_usage(cmd, "--dst '%s' is not an IPv4 or IPv6 "
				     "address", a->dst);
	if (!a->dst)
		f->dst.family = f->src.family;
	if (f->dst.family != f->src.family)
		return rbi_cli_usage(cmd, "--src and --dst must both be IPv4 "
				     "or both IPv6");
	if (a->app) {
		for (i = 1; i < __RBI_APP_MAX; i++)
			if (!strcmp(a->app, rbi_app_name(i)))
				break;
		if (i == __RBI_APP_MAX)
			return rbi_cli_usage(cmd, "--app must be tls, http, "
					     "dns, rtsp or quic");
		f->app = (uint8_t)i;
	}
	f->l4 = f->app == RBI_APP_QUIC || f->app == RBI_APP_DNS ?
		RBI_L4_UDP : RBI_L4_TCP;
	if (a->l4 && !strcmp(a->l4, "udp"))
		f->l4 = RBI_L4_UDP;
	else if (a->l4 && strcmp(a->l4, "tcp"))
		return rbi_cli_usage(cmd, "--l4 must be tcp or udp");
	f->dport = rbi_app_port(f->app);
	if (a->dport && !rbi_parse_port(a->dport, &f->dport))
		return rbi_cli_usage(cmd, "--dport must be 0 to 65535");
	if (a->sport && !rbi_parse_port(a->sport, &f->sport))
		return rbi_cli_usage(cmd, "--sport must be 0 to 65535");
	if (a->name) {
		f->name = a->name;
		f->name_len = strlen(a->name);
		/* As the dissectors would hand it over: no trailing dot. */
		if (f->name_len > 1 && a->name[f->name_len - 1] == '.')
			f->name_len--;
	}
	f->ech = a->ech;
	return a->markers ? rbi_explain_markers(cmd, a->markers, f) :
			    RBI_EXIT_OK;
}

int rbi_cmd_policy_explain(int argc, char **argv)
{
	const struct rbi_cmd *cmd = rbi_cli_find("policy explain");
	struct rbi_explain_args a = { 0 };
	const struct rbi_cli_opt opts[] = {
		RBI_CLI_POLICY(&a.policy),
		RBI_CLI_VALUE("src", 0, &a.src),
		RBI_CLI_VALUE("dst", 0, &a.dst),
		RBI_CLI_VALUE("l4", 0, &a.l4),
		RBI_CLI_VALUE("dport", 0, &a.dport),
		RBI_CLI_VALUE("sport", 0, &a.sport),
		RBI_CLI_VALUE("app", 0, &a.app),
		RBI_CLI_VALUE("name", 0, &a.name),
		RBI_CLI_FLAG("ech", 0, &a.ech),
		RBI_CLI_VALUE("markers", 0, &a.markers),
		RBI_CLI_END
	};
	struct rbi_buf out = RBI_BUF_INIT;
	struct rbi_decision d;
	struct rbi_policy *p;
	struct rbi_flow f;
	struct rbi_json j;
	int rc = rbi_cli_parse(cmd, argc, argv, opts, 0, 0, NULL);

	if (rc >= 0)
		return rc;
	rc = rbi_explain_flow(cmd, &a, &f);
	if (rc)
		return rc;
	p = rbi_cli_policy_load(a.policy, 0);
	if (!p)
		return RBI_EXIT_FAIL;
	rbi_classify(p->config, &f, &d);
	rbi_json_init(&j, &out);
	rbi_json_obj_begin(&j);
	rbi_decision_json(p, &f, &d, true, &j);
	rbi_json_obj_end(&j);
	printf("%s\n", rbi_buf_str(&out));
	rbi_buf_free(&out);
	rbi_policy_free(p);
	return RBI_EXIT_OK;
}
