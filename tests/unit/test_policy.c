// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Policy loading: each case is a policy text and the exact diagnostics
 * (FILE:LINE:COL: level: message) that loading it must print, so that a
 * message, its place and its wording are all pinned.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util/buf.h"
#include "policy/policy.h"

/* Every case starts from this valid policy unless it needs to change it. */
#define BASE \
	"rbiblock: 1\n" \
	"name: t\n" \
	"basis: test basis\n" \
	"prohibit:\n" \
	"  categories: [remote-biometric-identification, biometric-categorisation, emotion-recognition]\n" \
	"  timing: [real-time, post]\n" \
	"  actors: [public, private]\n" \
	"  exceptions: []\n" \
	"zones:\n" \
	"  - name: pub\n" \
	"    publicly-accessible: true\n" \
	"    networks: [10.20.0.0/16, \"2001:db8:20::/48\"]\n" \
	"  - name: staff\n" \
	"    publicly-accessible: false\n" \
	"    networks: [10.30.5.0/24]\n"

/* A NUL inside a policy: its length can't come from strlen(). */
#define NUL_POLICY "rbiblock: 1\nname: t\0\n"

struct policy_case {
	const char *name;
	bool valid;
	const char *text;
	const char *diags;	/* expected, one per line */
	size_t len;		/* 0: strlen(text) */
};

static const struct policy_case cases[] = {
	{ "valid_base", true,
	  BASE,
	  "" },
	{ "valid_recorders", true,
	  BASE
	  "recorders:\n"
	  "  - name: vms\n"
	  "    networks: [10.10.0.5/32]\n"
	  "    ports: [554, 443, 8000-8100]\n",
	  "" },
	{ "valid_local_service", true,
	  BASE
	  "catalog:\n"
	  "  services:\n"
	  "    - id: local-fr\n"
	  "      name: Local face server\n"
	  "      categories: [remote-biometric-identification]\n"
	  "      names: [fr.example.org]\n"
	  "      networks: [192.0.2.0/24]\n"
	  "      ports: [18411]\n",
	  "" },
	{ "valid_ipv6_zone", true,
	  "rbiblock: 1\n"
	  "name: t\n"
	  "basis: test basis\n"
	  "prohibit:\n"
	  "  categories: [remote-biometric-identification, biometric-categorisation, emotion-recognition]\n"
	  "  timing: [real-time, post]\n"
	  "  actors: [public, private]\n"
	  "  exceptions: []\n"
	  "zones:\n"
	  "  - name: pub\n"
	  "    publicly-accessible: true\n"
	  "    networks: [10.20.0.0/16, \"2001:db8:20::/48\"]\n"
	  "  - name: staff\n"
	  "    publicly-accessible: false\n"
	  "    networks: [\"2001:db8:30::/48\"]\n",
	  "" },
	{ "valid_non_public_only", true,
	  "rbiblock: 1\n"
	  "prohibit:\n"
	  "  categories: [emotion-recognition]\n"
	  "  timing: [post]\n"
	  "  actors: [public]\n"
	  "  exceptions: [police]\n"
	  "zones:\n"
	  "  - name: staff\n"
	  "    publicly-accessible: false\n"
	  "    networks: [10.30.5.0/24]\n",
	  "valid_non_public_only.yaml:1:1: warning: no 'basis': audit records will not say which legal text the policy implements\n"
	  "valid_non_public_only.yaml:8:5: warning: no zone is publicly accessible, so rbiblock blocks nothing: mark the zones of cameras that cover publicly accessible spaces 'publicly-accessible: true'\n"
	  "valid_non_public_only.yaml:3:3: warning: prohibit.exceptions must be empty: the prohibition allows no exceptions in publicly accessible spaces; allowed here only because no zone is publicly accessible\n"
	  "valid_non_public_only.yaml:3:3: warning: prohibit.timing must list both 'real-time' and 'post': the prohibition covers real-time and retrospective identification alike; allowed here only because no zone is publicly accessible\n"
	  "valid_non_public_only.yaml:3:3: warning: prohibit.actors must list both 'public' and 'private': the prohibition binds private actors as well as public authorities; allowed here only because no zone is publicly accessible\n"
	  "valid_non_public_only.yaml:3:3: warning: prohibit.categories must include 'remote-biometric-identification': it is what the prohibition forbids in publicly accessible spaces; allowed here only because no zone is publicly accessible\n" },
	/* The silent weakening of issue 15: every zone not public, no timing. */
	{ "warn_all_nonpublic_no_timing", true,
	  "rbiblock: 1\n"
	  "basis: b\n"
	  "prohibit:\n"
	  "  categories: [remote-biometric-identification, biometric-categorisation, emotion-recognition]\n"
	  "  timing: []\n"
	  "  actors: [public, private]\n"
	  "  exceptions: [anything]\n"
	  "zones:\n"
	  "  - name: squares\n"
	  "    publicly-accessible: false\n"
	  "    networks: [10.20.0.0/16]\n"
	  "enforce:\n"
	  "  camera-analytics: allow\n",
	  "warn_all_nonpublic_no_timing.yaml:9:5: warning: no zone is publicly accessible, so rbiblock blocks nothing: mark the zones of cameras that cover publicly accessible spaces 'publicly-accessible: true'\n"
	  "warn_all_nonpublic_no_timing.yaml:4:3: warning: prohibit.exceptions must be empty: the prohibition allows no exceptions in publicly accessible spaces; allowed here only because no zone is publicly accessible\n"
	  "warn_all_nonpublic_no_timing.yaml:4:3: warning: prohibit.timing must list both 'real-time' and 'post': the prohibition covers real-time and retrospective identification alike; allowed here only because no zone is publicly accessible\n"
	  "warn_all_nonpublic_no_timing.yaml:13:21: warning: enforce.camera-analytics must not be 'allow': it would let face-library enrolment and face recognition requests reach cameras in publicly accessible zones; 'log' records them without stopping them; allowed here only because no zone is publicly accessible\n" },
	{ "err_analytics_allow", false,
	  BASE
	  "enforce:\n"
	  "  camera-analytics: allow\n",
	  "err_analytics_allow.yaml:17:21: error: enforce.camera-analytics must not be 'allow': it would let face-library enrolment and face recognition requests reach cameras in publicly accessible zones; 'log' records them without stopping them (zone 'pub' is publicly accessible)\n" },
	{ "warn_analytics_log", true,
	  BASE
	  "enforce:\n"
	  "  camera-analytics: log\n",
	  "warn_analytics_log.yaml:17:21: warning: enforce.camera-analytics is 'log': face-library enrolment and face recognition requests to cameras in publicly accessible zones are recorded, not stopped\n" },
	{ "warn_replace_builtin", true,
	  BASE
	  "catalog:\n"
	  "  replace-builtin: true\n"
	  "  services:\n"
	  "    - id: x\n"
	  "      categories: [remote-biometric-identification]\n"
	  "      names: [fr.example.org]\n",
	  "warn_replace_builtin.yaml:17:20: warning: catalog.replace-builtin: the built-in catalogue is not used, so only the services of catalog.services are blocked\n" },
	{ "err_replace_builtin_and_builtin", false,
	  BASE
	  "catalog:\n"
	  "  replace-builtin: true\n"
	  "  include: [builtin]\n",
	  "err_replace_builtin_and_builtin.yaml:17:20: error: 'replace-builtin: true' drops the built-in catalogue, but 'include' lists 'builtin'; keep one\n" },
	{ "valid_include_builtin_placed", true,
	  BASE
	  "catalog:\n"
	  "  include: [builtin]\n",
	  "" },
	{ "valid_aliases", true,
	  "rbiblock: 1\n"
	  "basis: b\n"
	  "prohibit:\n"
	  "  categories: &cats [remote-biometric-identification, biometric-categorisation, emotion-recognition]\n"
	  "  timing: [real-time, post]\n"
	  "  actors: [public, private]\n"
	  "zones:\n"
	  "  - name: a\n"
	  "    publicly-accessible: true\n"
	  "    networks: &nets [10.20.0.0/16]\n",
	  "" },
	{ "valid_pattern_normalised", true,
	  BASE
	  "catalog:\n"
	  "  services:\n"
	  "    - id: upper\n"
	  "      categories: [remote-biometric-identification]\n"
	  "      names: [FR.Example.ORG.]\n",
	  "" },
	{ "valid_heartbeat_bounds", true,
	  BASE
	  "audit:\n"
	  "  heartbeat: 1s\n"
	  "  retention: 1d\n",
	  "" },
	{ "valid_overlap_same_status", true,
	  BASE
	  "  - name: pub-inner\n"
	  "    publicly-accessible: true\n"
	  "    networks: [10.20.5.0/24]\n",
	  "" },
	{ "valid_recorder_ports_vs_signature", true,
	  BASE
	  "recorders:\n"
	  "  - name: vms\n"
	  "    networks: [10.10.0.5/32]\n",
	  "" },
	{ "warn_no_zones", true,
	  "rbiblock: 1\n"
	  "basis: b\n"
	  "prohibit:\n"
	  "  categories: [remote-biometric-identification, biometric-categorisation, emotion-recognition]\n"
	  "  timing: [real-time, post]\n"
	  "  actors: [public, private]\n",
	  "warn_no_zones.yaml:1:1: warning: no 'zones': nothing is protected; add the camera networks as zones\n" },
	{ "warn_no_basis", true,
	  "rbiblock: 1\n"
	  "name: t\n"
	  "prohibit:\n"
	  "  categories: [remote-biometric-identification, biometric-categorisation, emotion-recognition]\n"
	  "  timing: [real-time, post]\n"
	  "  actors: [public, private]\n"
	  "  exceptions: []\n"
	  "zones:\n"
	  "  - name: pub\n"
	  "    publicly-accessible: true\n"
	  "    networks: [10.20.0.0/16, \"2001:db8:20::/48\"]\n"
	  "  - name: staff\n"
	  "    publicly-accessible: false\n"
	  "    networks: [10.30.5.0/24]\n",
	  "warn_no_basis.yaml:1:1: warning: no 'basis': audit records will not say which legal text the policy implements\n" },
	{ "warn_rbi_only", true,
	  "rbiblock: 1\n"
	  "name: t\n"
	  "basis: test basis\n"
	  "prohibit:\n"
	  "  categories: [remote-biometric-identification]\n"
	  "  timing: [real-time, post]\n"
	  "  actors: [public, private]\n"
	  "  exceptions: []\n"
	  "zones:\n"
	  "  - name: pub\n"
	  "    publicly-accessible: true\n"
	  "    networks: [10.20.0.0/16, \"2001:db8:20::/48\"]\n"
	  "  - name: staff\n"
	  "    publicly-accessible: false\n"
	  "    networks: [10.30.5.0/24]\n",
	  "warn_rbi_only.yaml:5:3: warning: prohibit.categories leaves out 'biometric-categorisation': the prohibition also asks to stop biometric categorisation\n"
	  "warn_rbi_only.yaml:5:3: warning: prohibit.categories leaves out 'emotion-recognition': the prohibition also asks to stop emotion recognition\n" },
	{ "warn_shared_log", true,
	  BASE
	  "enforce:\n"
	  "  shared-hosts: log\n",
	  "warn_shared_log.yaml:17:17: warning: enforce.shared-hosts is 'log': hosts that serve biometric and other APIs are only logged, so identification through them is not stopped\n" },
	{ "warn_ech_allow", true,
	  BASE
	  "enforce:\n"
	  "  encrypted-client-hello: allow\n",
	  "warn_ech_allow.yaml:17:27: warning: enforce.encrypted-client-hello is 'allow': an encrypted ClientHello hides the service name, so an RBI service could be reached unseen\n" },
	{ "warn_on_failure_open", true,
	  BASE
	  "enforce:\n"
	  "  on-failure: open\n",
	  "warn_on_failure_open.yaml:17:15: warning: enforce.on-failure is 'open': when rbiblock cannot guarantee the policy (a flow it cannot read or has no room for, the module gone), cameras of zone 'pub' keep full access and are only logged; the prohibition makes no exception for outages\n" },
	{ "warn_quic_allow", true,
	  BASE
	  "enforce:\n"
	  "  quic: allow\n",
	  "warn_quic_allow.yaml:17:9: warning: enforce.quic is 'allow': QUIC hides the service name from the gateway, so an RBI service could be reached unseen\n" },
	{ "warn_doh_allow", true,
	  BASE
	  "enforce:\n"
	  "  dns-over-https: allow\n",
	  "warn_doh_allow.yaml:17:19: warning: enforce.dns-over-https is 'allow': cameras can resolve RBI services without the gateway learning their addresses\n" },
	{ "err_unknown_top_key", false,
	  BASE
	  "zoness: []\n",
	  "err_unknown_top_key.yaml:16:1: error: unknown key 'zoness' in the policy; did you mean 'zones'?\n" },
	{ "err_unknown_zone_key", false,
	  "rbiblock: 1\n"
	  "name: t\n"
	  "basis: test basis\n"
	  "prohibit:\n"
	  "  categories: [remote-biometric-identification, biometric-categorisation, emotion-recognition]\n"
	  "  timing: [real-time, post]\n"
	  "  actors: [public, private]\n"
	  "  exceptions: []\n"
	  "zones:\n"
	  "  - name: pub\n"
	  "    publicly-accessible: true\n"
	  "    networks: [10.20.0.0/16, \"2001:db8:20::/48\"]\n"
	  "  - name: staff\n"
	  "    publicly-accesible: false\n"
	  "    networks: [10.30.5.0/24]\n",
	  "err_unknown_zone_key.yaml:14:5: error: unknown key 'publicly-accesible' in a zone; did you mean 'publicly-accessible'?\n" },
	{ "err_unknown_enforce_key", false,
	  BASE
	  "enforce:\n"
	  "  quick: block\n",
	  "err_unknown_enforce_key.yaml:17:3: error: unknown key 'quick' in 'enforce'; did you mean 'quic'?\n" },
	{ "err_unknown_key_no_hint", false,
	  BASE
	  "frobnicate: 1\n",
	  "err_unknown_key_no_hint.yaml:16:1: error: unknown key 'frobnicate' in the policy\n" },
	{ "err_duplicate_key", false,
	  BASE
	  "name: again\n",
	  "err_duplicate_key.yaml:16:1: error: duplicate key 'name' in the policy (first at line 2)\n" },
	{ "err_bad_cidr_octet", false,
	  "rbiblock: 1\n"
	  "name: t\n"
	  "basis: test basis\n"
	  "prohibit:\n"
	  "  categories: [remote-biometric-identification, biometric-categorisation, emotion-recognition]\n"
	  "  timing: [real-time, post]\n"
	  "  actors: [public, private]\n"
	  "  exceptions: []\n"
	  "zones:\n"
	  "  - name: pub\n"
	  "    publicly-accessible: true\n"
	  "    networks: [10.20.0.0/16, \"2001:db8:20::/48\"]\n"
	  "  - name: staff\n"
	  "    publicly-accessible: false\n"
	  "    networks: [10.30.5.300/24]\n",
	  "err_bad_cidr_octet.yaml:15:16: error: bad network '10.30.5.300/24': IPv4 octet above 255\n" },
	{ "err_host_bits", false,
	  "rbiblock: 1\n"
	  "name: t\n"
	  "basis: test basis\n"
	  "prohibit:\n"
	  "  categories: [remote-biometric-identification, biometric-categorisation, emotion-recognition]\n"
	  "  timing: [real-time, post]\n"
	  "  actors: [public, private]\n"
	  "  exceptions: []\n"
	  "zones:\n"
	  "  - name: pub\n"
	  "    publicly-accessible: true\n"
	  "    networks: [10.20.0.0/16, \"2001:db8:20::/48\"]\n"
	  "  - name: staff\n"
	  "    publicly-accessible: false\n"
	  "    networks: [10.30.5.7/16]\n",
	  "err_host_bits.yaml:15:16: error: bad network '10.30.5.7/16': host bits set; did you mean 10.30.0.0/16?\n" },
	{ "err_prefix_too_long", false,
	  "rbiblock: 1\n"
	  "name: t\n"
	  "basis: test basis\n"
	  "prohibit:\n"
	  "  categories: [remote-biometric-identification, biometric-categorisation, emotion-recognition]\n"
	  "  timing: [real-time, post]\n"
	  "  actors: [public, private]\n"
	  "  exceptions: []\n"
	  "zones:\n"
	  "  - name: pub\n"
	  "    publicly-accessible: true\n"
	  "    networks: [10.20.0.0/16, \"2001:db8:20::/48\"]\n"
	  "  - name: staff\n"
	  "    publicly-accessible: false\n"
	  "    networks: [10.30.5.0/33]\n",
	  "err_prefix_too_long.yaml:15:16: error: bad network '10.30.5.0/33': prefix length out of range\n" },
	{ "err_bad_ipv6", false,
	  "rbiblock: 1\n"
	  "name: t\n"
	  "basis: test basis\n"
	  "prohibit:\n"
	  "  categories: [remote-biometric-identification, biometric-categorisation, emotion-recognition]\n"
	  "  timing: [real-time, post]\n"
	  "  actors: [public, private]\n"
	  "  exceptions: []\n"
	  "zones:\n"
	  "  - name: pub\n"
	  "    publicly-accessible: true\n"
	  "    networks: [10.20.0.0/16, \"2001:db8::20::/48\"]\n"
	  "  - name: staff\n"
	  "    publicly-accessible: false\n"
	  "    networks: [10.30.5.0/24]\n",
	  "err_bad_ipv6.yaml:12:30: error: bad network '2001:db8::20::/48': more than one '::'\n" },
	{ "err_port_too_big", false,
	  BASE
	  "recorders:\n"
	  "  - name: vms\n"
	  "    networks: [10.10.0.5/32]\n"
	  "    ports: [70000]\n",
	  "err_port_too_big.yaml:19:13: error: bad port '70000': a port is a number from 1 to 65535, or a range such as 8000-8100\n" },
	{ "err_port_zero", false,
	  BASE
	  "recorders:\n"
	  "  - name: vms\n"
	  "    networks: [10.10.0.5/32]\n"
	  "    ports: [0]\n",
	  "err_port_zero.yaml:19:13: error: bad port '0': a port is a number from 1 to 65535, or a range such as 8000-8100\n" },
	{ "err_port_range_backwards", false,
	  BASE
	  "recorders:\n"
	  "  - name: vms\n"
	  "    networks: [10.10.0.5/32]\n"
	  "    ports: [9000-8000]\n",
	  "err_port_range_backwards.yaml:19:13: error: bad port '9000-8000': a port is a number from 1 to 65535, or a range such as 8000-8100\n" },
	{ "err_port_word", false,
	  BASE
	  "recorders:\n"
	  "  - name: vms\n"
	  "    networks: [10.10.0.5/32]\n"
	  "    ports: [rtsp]\n",
	  "err_port_word.yaml:19:13: error: bad port 'rtsp': a port is a number from 1 to 65535, or a range such as 8000-8100\n" },
	{ "valid_pattern_trailing_star", true,
	  BASE
	  "catalog:\n"
	  "  services:\n"
	  "    - id: x\n"
	  "      categories: [remote-biometric-identification]\n"
	  "      names: [\"example.*\"]\n",
	  "" },
	{ "err_pattern_empty_label", false,
	  BASE
	  "catalog:\n"
	  "  services:\n"
	  "    - id: x\n"
	  "      categories: [remote-biometric-identification]\n"
	  "      names: [a..example.org]\n",
	  "err_pattern_empty_label.yaml:20:15: error: bad name pattern 'a..example.org': empty label\n" },
	{ "err_pattern_partial_star", false,
	  BASE
	  "catalog:\n"
	  "  services:\n"
	  "    - id: x\n"
	  "      categories: [remote-biometric-identification]\n"
	  "      names: [\"fr*.example.org\"]\n",
	  "err_pattern_partial_star.yaml:20:15: error: bad name pattern 'fr*.example.org': '*' must be a whole label\n" },
	{ "err_pattern_long_label", false,
	  BASE
	  "catalog:\n"
	  "  services:\n"
	  "    - id: x\n"
	  "      categories: [remote-biometric-identification]\n"
	  "      names: [aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example.org]\n",
	  "err_pattern_long_label.yaml:20:15: error: bad name pattern 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example.org': label longer than 63 characters\n" },
	{ "err_pattern_only_star", false,
	  BASE
	  "catalog:\n"
	  "  services:\n"
	  "    - id: x\n"
	  "      categories: [remote-biometric-identification]\n"
	  "      names: [\"*\"]\n",
	  "err_pattern_only_star.yaml:20:15: error: bad name pattern '*': '*' alone would match every name\n" },
	{ "err_duplicate_zone", false,
	  BASE
	  "  - name: pub\n"
	  "    publicly-accessible: true\n"
	  "    networks: [10.40.0.0/16]\n",
	  "err_duplicate_zone.yaml:16:5: error: duplicate zone name 'pub' (first at err_duplicate_zone.yaml:10:5)\n" },
	{ "err_duplicate_service_id", false,
	  BASE
	  "catalog:\n"
	  "  services:\n"
	  "    - id: aws-rekognition\n"
	  "      categories: [remote-biometric-identification]\n"
	  "      names: [fr.example.org]\n",
	  "err_duplicate_service_id.yaml:18:7: error: duplicate service id 'aws-rekognition' (first at policies/catalog/aws.yaml:5:5)\n" },
	{ "err_duplicate_recorder", false,
	  BASE
	  "recorders:\n"
	  "  - name: vms\n"
	  "    networks: [10.10.0.5/32]\n"
	  "  - name: vms\n"
	  "    networks: [10.10.0.6/32]\n",
	  "err_duplicate_recorder.yaml:19:5: error: duplicate recorder name 'vms' (first at err_duplicate_recorder.yaml:17:5)\n" },
	{ "err_zone_overlap_status", false,
	  BASE
	  "  - name: staff-inner\n"
	  "    publicly-accessible: false\n"
	  "    networks: [10.20.9.0/24]\n",
	  "err_zone_overlap_status.yaml:18:16: error: zones 'pub' (publicly accessible) and 'staff-inner' (not publicly accessible) overlap: 10.20.0.0/16 contains 10.20.9.0/24; an address must be either publicly accessible or not\n" },
	{ "err_zone_overlap_v6", false,
	  BASE
	  "  - name: staff6\n"
	  "    publicly-accessible: false\n"
	  "    networks: [\"2001:db8:20:5::/64\"]\n",
	  "err_zone_overlap_v6.yaml:18:16: error: zones 'pub' (publicly accessible) and 'staff6' (not publicly accessible) overlap: 2001:db8:20::/48 contains 2001:db8:20:5::/64; an address must be either publicly accessible or not\n" },
	{ "err_bool_type", false,
	  "rbiblock: 1\n"
	  "name: t\n"
	  "basis: test basis\n"
	  "prohibit:\n"
	  "  categories: [remote-biometric-identification, biometric-categorisation, emotion-recognition]\n"
	  "  timing: [real-time, post]\n"
	  "  actors: [public, private]\n"
	  "  exceptions: []\n"
	  "zones:\n"
	  "  - name: pub\n"
	  "    publicly-accessible: true\n"
	  "    networks: [10.20.0.0/16, \"2001:db8:20::/48\"]\n"
	  "  - name: staff\n"
	  "    publicly-accessible: \"no\"\n"
	  "    networks: [10.30.5.0/24]\n",
	  "err_bool_type.yaml:14:26: error: 'publicly-accessible' must be true or false, not 'no'\n" },
	{ "err_bool_word", false,
	  "rbiblock: 1\n"
	  "name: t\n"
	  "basis: test basis\n"
	  "prohibit:\n"
	  "  categories: [remote-biometric-identification, biometric-categorisation, emotion-recognition]\n"
	  "  timing: [real-time, post]\n"
	  "  actors: [public, private]\n"
	  "  exceptions: []\n"
	  "zones:\n"
	  "  - name: pub\n"
	  "    publicly-accessible: true\n"
	  "    networks: [10.20.0.0/16, \"2001:db8:20::/48\"]\n"
	  "  - name: staff\n"
	  "    publicly-accessible: maybe\n"
	  "    networks: [10.30.5.0/24]\n",
	  "err_bool_word.yaml:14:26: error: 'publicly-accessible' must be true or false, not 'maybe'\n" },
	{ "err_zones_mapping", false,
	  "rbiblock: 1\n"
	  "name: t\n"
	  "basis: test basis\n"
	  "prohibit:\n"
	  "  categories: [remote-biometric-identification, biometric-categorisation, emotion-recognition]\n"
	  "  timing: [real-time, post]\n"
	  "  actors: [public, private]\n"
	  "  exceptions: []\n"
	  "zones:\n"
	  "  pub:\n"
	  "    name: pub\n"
	  "    publicly-accessible: true\n"
	  "    networks: [10.20.0.0/16, \"2001:db8:20::/48\"]\n",
	  "err_zones_mapping.yaml:10:3: error: 'zones' must be a list, not a mapping\n" },
	{ "err_networks_scalar", false,
	  "rbiblock: 1\n"
	  "name: t\n"
	  "basis: test basis\n"
	  "prohibit:\n"
	  "  categories: [remote-biometric-identification, biometric-categorisation, emotion-recognition]\n"
	  "  timing: [real-time, post]\n"
	  "  actors: [public, private]\n"
	  "  exceptions: []\n"
	  "zones:\n"
	  "  - name: pub\n"
	  "    publicly-accessible: true\n"
	  "    networks: [10.20.0.0/16, \"2001:db8:20::/48\"]\n"
	  "  - name: staff\n"
	  "    publicly-accessible: false\n"
	  "    networks: 10.30.5.0/24\n",
	  "err_networks_scalar.yaml:15:15: error: 'networks' must be a list, not a scalar\n" },
	{ "err_missing_version", false,
	  "name: t\n"
	  "basis: test basis\n"
	  "prohibit:\n"
	  "  categories: [remote-biometric-identification, biometric-categorisation, emotion-recognition]\n"
	  "  timing: [real-time, post]\n"
	  "  actors: [public, private]\n"
	  "  exceptions: []\n"
	  "zones:\n"
	  "  - name: pub\n"
	  "    publicly-accessible: true\n"
	  "    networks: [10.20.0.0/16, \"2001:db8:20::/48\"]\n"
	  "  - name: staff\n"
	  "    publicly-accessible: false\n"
	  "    networks: [10.30.5.0/24]\n",
	  "err_missing_version.yaml:1:1: error: missing 'rbiblock: 1' (the schema version) at the top of the policy\n" },
	{ "err_version_2", false,
	  "rbiblock: 2\n"
	  "name: t\n"
	  "basis: test basis\n"
	  "prohibit:\n"
	  "  categories: [remote-biometric-identification, biometric-categorisation, emotion-recognition]\n"
	  "  timing: [real-time, post]\n"
	  "  actors: [public, private]\n"
	  "  exceptions: []\n"
	  "zones:\n"
	  "  - name: pub\n"
	  "    publicly-accessible: true\n"
	  "    networks: [10.20.0.0/16, \"2001:db8:20::/48\"]\n"
	  "  - name: staff\n"
	  "    publicly-accessible: false\n"
	  "    networks: [10.30.5.0/24]\n",
	  "err_version_2.yaml:1:11: error: unsupported schema version '2'; this rbictl reads 'rbiblock: 1'\n" },
	{ "err_missing_prohibit", false,
	  "rbiblock: 1\n"
	  "zones:\n"
	  "  - name: pub\n"
	  "    publicly-accessible: true\n"
	  "    networks: [10.20.0.0/16]\n",
	  "err_missing_prohibit.yaml:1:1: warning: no 'basis': audit records will not say which legal text the policy implements\n"
	  "err_missing_prohibit.yaml:1:1: error: missing required key 'prohibit': state the prohibition (categories, timing, actors, exceptions)\n" },
	{ "err_exceptions", false,
	  "rbiblock: 1\n"
	  "name: t\n"
	  "basis: test basis\n"
	  "prohibit:\n"
	  "  categories: [remote-biometric-identification, biometric-categorisation, emotion-recognition]\n"
	  "  timing: [real-time, post]\n"
	  "  actors: [public, private]\n"
	  "  exceptions: [police-search]\n"
	  "zones:\n"
	  "  - name: pub\n"
	  "    publicly-accessible: true\n"
	  "    networks: [10.20.0.0/16, \"2001:db8:20::/48\"]\n"
	  "  - name: staff\n"
	  "    publicly-accessible: false\n"
	  "    networks: [10.30.5.0/24]\n",
	  "err_exceptions.yaml:5:3: error: prohibit.exceptions must be empty: the prohibition allows no exceptions in publicly accessible spaces (zone 'pub' is publicly accessible)\n" },
	{ "err_timing_real_time_only", false,
	  "rbiblock: 1\n"
	  "name: t\n"
	  "basis: test basis\n"
	  "prohibit:\n"
	  "  categories: [remote-biometric-identification, biometric-categorisation, emotion-recognition]\n"
	  "  timing: [real-time]\n"
	  "  actors: [public, private]\n"
	  "  exceptions: []\n"
	  "zones:\n"
	  "  - name: pub\n"
	  "    publicly-accessible: true\n"
	  "    networks: [10.20.0.0/16, \"2001:db8:20::/48\"]\n"
	  "  - name: staff\n"
	  "    publicly-accessible: false\n"
	  "    networks: [10.30.5.0/24]\n",
	  "err_timing_real_time_only.yaml:5:3: error: prohibit.timing must list both 'real-time' and 'post': the prohibition covers real-time and retrospective identification alike (zone 'pub' is publicly accessible)\n" },
	{ "err_timing_post_only", false,
	  "rbiblock: 1\n"
	  "name: t\n"
	  "basis: test basis\n"
	  "prohibit:\n"
	  "  categories: [remote-biometric-identification, biometric-categorisation, emotion-recognition]\n"
	  "  timing: [post]\n"
	  "  actors: [public, private]\n"
	  "  exceptions: []\n"
	  "zones:\n"
	  "  - name: pub\n"
	  "    publicly-accessible: true\n"
	  "    networks: [10.20.0.0/16, \"2001:db8:20::/48\"]\n"
	  "  - name: staff\n"
	  "    publicly-accessible: false\n"
	  "    networks: [10.30.5.0/24]\n",
	  "err_timing_post_only.yaml:5:3: error: prohibit.timing must list both 'real-time' and 'post': the prohibition covers real-time and retrospective identification alike (zone 'pub' is publicly accessible)\n" },
	{ "err_actors_public_only", false,
	  "rbiblock: 1\n"
	  "name: t\n"
	  "basis: test basis\n"
	  "prohibit:\n"
	  "  categories: [remote-biometric-identification, biometric-categorisation, emotion-recognition]\n"
	  "  timing: [real-time, post]\n"
	  "  actors: [public]\n"
	  "  exceptions: []\n"
	  "zones:\n"
	  "  - name: pub\n"
	  "    publicly-accessible: true\n"
	  "    networks: [10.20.0.0/16, \"2001:db8:20::/48\"]\n"
	  "  - name: staff\n"
	  "    publicly-accessible: false\n"
	  "    networks: [10.30.5.0/24]\n",
	  "err_actors_public_only.yaml:5:3: error: prohibit.actors must list both 'public' and 'private': the prohibition binds private actors as well as public authorities (zone 'pub' is publicly accessible)\n" },
	{ "err_categories_no_rbi", false,
	  "rbiblock: 1\n"
	  "name: t\n"
	  "basis: test basis\n"
	  "prohibit:\n"
	  "  categories: [biometric-categorisation, emotion-recognition]\n"
	  "  timing: [real-time, post]\n"
	  "  actors: [public, private]\n"
	  "  exceptions: []\n"
	  "zones:\n"
	  "  - name: pub\n"
	  "    publicly-accessible: true\n"
	  "    networks: [10.20.0.0/16, \"2001:db8:20::/48\"]\n"
	  "  - name: staff\n"
	  "    publicly-accessible: false\n"
	  "    networks: [10.30.5.0/24]\n",
	  "err_categories_no_rbi.yaml:5:3: error: prohibit.categories must include 'remote-biometric-identification': it is what the prohibition forbids in publicly accessible spaces (zone 'pub' is publicly accessible)\n" },
	{ "err_category_typo", false,
	  "rbiblock: 1\n"
	  "name: t\n"
	  "basis: test basis\n"
	  "prohibit:\n"
	  "  categories: [remote-biometric-identification, biometric-categorization, emotion-recognition]\n"
	  "  timing: [real-time, post]\n"
	  "  actors: [public, private]\n"
	  "  exceptions: []\n"
	  "zones:\n"
	  "  - name: pub\n"
	  "    publicly-accessible: true\n"
	  "    networks: [10.20.0.0/16, \"2001:db8:20::/48\"]\n"
	  "  - name: staff\n"
	  "    publicly-accessible: false\n"
	  "    networks: [10.30.5.0/24]\n",
	  "err_category_typo.yaml:5:49: error: unknown category 'biometric-categorization'; did you mean 'biometric-categorisation'?\n" },
	{ "err_timing_word", false,
	  "rbiblock: 1\n"
	  "name: t\n"
	  "basis: test basis\n"
	  "prohibit:\n"
	  "  categories: [remote-biometric-identification, biometric-categorisation, emotion-recognition]\n"
	  "  timing: [realtime, post]\n"
	  "  actors: [public, private]\n"
	  "  exceptions: []\n"
	  "zones:\n"
	  "  - name: pub\n"
	  "    publicly-accessible: true\n"
	  "    networks: [10.20.0.0/16, \"2001:db8:20::/48\"]\n"
	  "  - name: staff\n"
	  "    publicly-accessible: false\n"
	  "    networks: [10.30.5.0/24]\n",
	  "err_timing_word.yaml:6:12: error: unknown timing 'realtime'; did you mean 'real-time'?\n" },
	{ "err_recorder_overlaps_service", false,
	  BASE
	  "recorders:\n"
	  "  - name: vms\n"
	  "    networks: [192.0.2.0/25]\n"
	  "catalog:\n"
	  "  services:\n"
	  "    - id: local-fr\n"
	  "      categories: [remote-biometric-identification]\n"
	  "      networks: [192.0.2.0/24]\n",
	  "err_recorder_overlaps_service.yaml:18:16: error: recorder 'vms' overlaps catalogue service 'local-fr' (err_recorder_overlaps_service.yaml:23:18): 192.0.2.0/24 and 192.0.2.0/25; approving a recorder must never open a way to an RBI service (the prohibition has no exceptions)\n" },
	{ "err_recorder_overlaps_service_ports", false,
	  BASE
	  "recorders:\n"
	  "  - name: vms\n"
	  "    networks: [192.0.2.7/32]\n"
	  "    ports: [18000-18500]\n"
	  "catalog:\n"
	  "  services:\n"
	  "    - id: local-fr\n"
	  "      categories: [remote-biometric-identification]\n"
	  "      networks: [192.0.2.0/24]\n"
	  "      ports: [18411]\n",
	  "err_recorder_overlaps_service_ports.yaml:18:16: error: recorder 'vms' overlaps catalogue service 'local-fr' (err_recorder_overlaps_service_ports.yaml:24:18): 192.0.2.0/24 and 192.0.2.7/32; approving a recorder must never open a way to an RBI service (the prohibition has no exceptions)\n" },
	{ "valid_recorder_disjoint_ports", true,
	  BASE
	  "recorders:\n"
	  "  - name: vms\n"
	  "    networks: [192.0.2.7/32]\n"
	  "    ports: [554]\n"
	  "catalog:\n"
	  "  services:\n"
	  "    - id: local-fr\n"
	  "      categories: [remote-biometric-identification]\n"
	  "      networks: [192.0.2.0/24]\n"
	  "      ports: [18411]\n",
	  "" },
	{ "valid_service_net_two_port_ranges", true,
	  BASE
	  "catalog:\n"
	  "  services:\n"
	  "    - id: web-fr\n"
	  "      categories: [remote-biometric-identification]\n"
	  "      networks: [192.0.2.0/24]\n"
	  "      ports: [80, 443, 8000-8100]\n"
	  "    - id: other-fr\n"
	  "      categories: [emotion-recognition]\n"
	  "      networks: [192.0.2.0/24]\n"
	  "      ports: [9000]\n",
	  "" },
	{ "err_service_net_listed_twice", false,
	  BASE
	  "catalog:\n"
	  "  services:\n"
	  "    - id: a-fr\n"
	  "      categories: [remote-biometric-identification]\n"
	  "      networks: [192.0.2.0/24]\n"
	  "    - id: b-fr\n"
	  "      categories: [emotion-recognition]\n"
	  "      networks: [192.0.2.0/24]\n",
	  "err_service_net_listed_twice.yaml:23:18: error: network 192.0.2.0/24 of 'b-fr': another entry already lists this network with the same ports\n" },
	{ "valid_service_port_protocols", true,
	  BASE
	  "catalog:\n"
	  "  services:\n"
	  "    - id: x\n"
	  "      categories: [remote-biometric-identification]\n"
	  "      networks: [192.0.2.0/24]\n"
	  "      ports: [8800/udp, 443/tcp, 554, 9000-9100/udp]\n",
	  "" },
	{ "err_recorder_port_protocol", false,
	  BASE
	  "recorders:\n"
	  "  - name: vms\n"
	  "    networks: [10.10.0.5/32]\n"
	  "    ports: [554/tcp]\n",
	  "err_recorder_port_protocol.yaml:19:13: error: bad port '554/tcp': a recorder is approved for TCP and UDP alike; write the port without a protocol\n" },
	{ "err_service_port_protocol_word", false,
	  BASE
	  "catalog:\n"
	  "  services:\n"
	  "    - id: x\n"
	  "      categories: [remote-biometric-identification]\n"
	  "      networks: [192.0.2.0/24]\n"
	  "      ports: [8800/sctp]\n",
	  "err_service_port_protocol_word.yaml:21:15: error: bad port '8800/sctp': a port is a number from 1 to 65535, or a range such as 8000-8100, and may end in /tcp or /udp\n" },
	{ "err_service_slash0_without_ports", false,
	  BASE
	  "catalog:\n"
	  "  services:\n"
	  "    - id: x\n"
	  "      categories: [remote-biometric-identification]\n"
	  "      networks: [192.0.2.0/24, \"::/0\"]\n",
	  "err_service_slash0_without_ports.yaml:20:32: error: network /0 of 'x' without 'ports' would match every flow: a /0 is a port signature, so give its ports\n" },
	{ "err_heartbeat_zero", false,
	  BASE
	  "audit:\n"
	  "  heartbeat: 0s\n",
	  "err_heartbeat_zero.yaml:17:14: error: 'heartbeat' must be between 1s and 1h\n" },
	{ "err_heartbeat_too_long", false,
	  BASE
	  "audit:\n"
	  "  heartbeat: 2h\n",
	  "err_heartbeat_too_long.yaml:17:14: error: 'heartbeat' must be between 1s and 1h\n" },
	{ "err_heartbeat_word", false,
	  BASE
	  "audit:\n"
	  "  heartbeat: often\n",
	  "err_heartbeat_word.yaml:17:14: error: 'heartbeat' must be a duration such as 30s, 5m, 1h or 400d\n" },
	{ "err_retention_short", false,
	  BASE
	  "audit:\n"
	  "  retention: 1h\n",
	  "err_retention_short.yaml:17:14: error: 'retention' must be between 1d and 7320d\n" },
	{ "err_origin_space", false,
	  BASE
	  "audit:\n"
	  "  origin: my gateway\n",
	  "err_origin_space.yaml:17:11: error: 'origin' must be non-empty with no spaces and no '+', such as gw1.city.example/rbiblock\n" },
	{ "err_enforce_typo", false,
	  BASE
	  "enforce:\n"
	  "  quic: blok\n",
	  "err_enforce_typo.yaml:17:9: error: 'quic' must be 'block', 'log' or 'allow', not 'blok'; did you mean 'block'?\n" },
	{ "err_on_failure_word", false,
	  BASE
	  "enforce:\n"
	  "  on-failure: fail\n",
	  "err_on_failure_word.yaml:17:15: error: 'on-failure' must be 'closed' or 'open', not 'fail'\n" },
	{ "err_shared_allow", false,
	  BASE
	  "enforce:\n"
	  "  shared-hosts: allow\n",
	  "err_shared_allow.yaml:17:17: error: 'shared-hosts' must be 'block' or 'log', not 'allow'\n" },
	{ "err_service_no_categories", false,
	  BASE
	  "catalog:\n"
	  "  services:\n"
	  "    - id: x\n"
	  "      names: [fr.example.org]\n",
	  "err_service_no_categories.yaml:18:7: error: missing required key 'categories'\n" },
	{ "err_service_empty_categories", false,
	  BASE
	  "catalog:\n"
	  "  services:\n"
	  "    - id: x\n"
	  "      categories: []\n"
	  "      names: [fr.example.org]\n",
	  "err_service_empty_categories.yaml:19:19: error: 'categories' is empty; a service must offer at least one\n" },
	{ "err_service_nothing_to_match", false,
	  BASE
	  "catalog:\n"
	  "  services:\n"
	  "    - id: x\n"
	  "      categories: [emotion-recognition]\n",
	  "err_service_nothing_to_match.yaml:18:7: error: 'x' needs 'names', 'networks' or 'operator-names' to be recognisable\n" },
	{ "err_service_ports_without_networks", false,
	  BASE
	  "catalog:\n"
	  "  services:\n"
	  "    - id: x\n"
	  "      categories: [emotion-recognition]\n"
	  "      names: [fr.example.org]\n"
	  "      ports: [443]\n",
	  "err_service_ports_without_networks.yaml:21:14: error: 'ports' needs 'networks': ports narrow the service's networks\n" },
	{ "err_service_id_chars", false,
	  BASE
	  "catalog:\n"
	  "  services:\n"
	  "    - id: my service\n"
	  "      categories: [emotion-recognition]\n"
	  "      names: [fr.example.org]\n",
	  "err_service_id_chars.yaml:18:11: error: service id 'my service' may only hold letters, digits, '-', '_' and '.'\n" },
	{ "err_confidence_typo", false,
	  BASE
	  "catalog:\n"
	  "  services:\n"
	  "    - id: x\n"
	  "      categories: [emotion-recognition]\n"
	  "      names: [fr.example.org]\n"
	  "      confidence: unconfirmd\n",
	  "err_confidence_typo.yaml:21:19: error: 'confidence' must be 'confirmed' or 'unconfirmed', not 'unconfirmd'; did you mean 'unconfirmed'?\n" },
	{ "err_pattern_duplicate_catalogue", false,
	  BASE
	  "catalog:\n"
	  "  services:\n"
	  "    - id: x\n"
	  "      categories: [emotion-recognition]\n"
	  "      names: [api.kairos.com]\n",
	  "err_pattern_duplicate_catalogue.yaml:20:15: error: name pattern 'api.kairos.com' of 'x': the same pattern is already listed\n" },
	{ "err_yaml_syntax", false,
	  BASE
	  "recorders: [unclosed\n",
	  "err_yaml_syntax.yaml:17:1: error: YAML syntax: did not find expected ',' or ']' while parsing a flow sequence\n" },
	{ "err_not_utf8", false,
	  "rbiblock: 1\n"
	  "name: t\xe9""st\n"
	  "basis: test basis\n"
	  "prohibit:\n"
	  "  categories: [remote-biometric-identification, biometric-categorisation, emotion-recognition]\n"
	  "  timing: [real-time, post]\n"
	  "  actors: [public, private]\n"
	  "  exceptions: []\n"
	  "zones:\n"
	  "  - name: pub\n"
	  "    publicly-accessible: true\n"
	  "    networks: [10.20.0.0/16, \"2001:db8:20::/48\"]\n"
	  "  - name: staff\n"
	  "    publicly-accessible: false\n"
	  "    networks: [10.30.5.0/24]\n",
	  "err_not_utf8.yaml:2:8: error: not valid UTF-8; save the file as UTF-8\n" },
	{ "err_nul_byte", false, NUL_POLICY,
	  "err_nul_byte.yaml:2:8: error: NUL byte; save the file as UTF-8\n",
	  sizeof(NUL_POLICY) - 1 },
	{ "err_alias_bomb", false,
	  "rbiblock: 1\n"
	  "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	  "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
	  "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
	  "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
	  "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
	  "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
	  "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n",
	  "err_alias_bomb.yaml:8:16: error: too many nodes once aliases are expanded (is this an alias bomb?)\n" },
	{ "err_deep_nesting", false,
	  "rbiblock: 1\n"
	  "name: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n",
	  "err_deep_nesting.yaml:2:38: error: nested too deeply\n" },
	{ "err_two_documents", false,
	  BASE
	  "---\n"
	  "rbiblock: 1\n",
	  "err_two_documents.yaml:16:1: error: more than one YAML document in the file; a policy is one document\n" },
	{ "err_empty_file", false,
	  "",
	  "err_empty_file.yaml: error: the policy is empty; start from policies/default.yaml\n" },
	{ "err_top_level_list", false,
	  "- rbiblock: 1\n",
	  "err_top_level_list.yaml:1:1: error: the policy must be a mapping, not a list\n" },
	{ "err_zone_missing_networks", false,
	  "rbiblock: 1\n"
	  "name: t\n"
	  "basis: test basis\n"
	  "prohibit:\n"
	  "  categories: [remote-biometric-identification, biometric-categorisation, emotion-recognition]\n"
	  "  timing: [real-time, post]\n"
	  "  actors: [public, private]\n"
	  "  exceptions: []\n"
	  "zones:\n"
	  "  - name: pub\n"
	  "    publicly-accessible: true\n"
	  "    networks: [10.20.0.0/16, \"2001:db8:20::/48\"]\n"
	  "  - name: staff\n"
	  "    publicly-accessible: false\n",
	  "err_zone_missing_networks.yaml:13:5: error: missing required key 'networks'\n" },
	{ "err_zone_empty_networks", false,
	  "rbiblock: 1\n"
	  "name: t\n"
	  "basis: test basis\n"
	  "prohibit:\n"
	  "  categories: [remote-biometric-identification, biometric-categorisation, emotion-recognition]\n"
	  "  timing: [real-time, post]\n"
	  "  actors: [public, private]\n"
	  "  exceptions: []\n"
	  "zones:\n"
	  "  - name: pub\n"
	  "    publicly-accessible: true\n"
	  "    networks: [10.20.0.0/16, \"2001:db8:20::/48\"]\n"
	  "  - name: staff\n"
	  "    publicly-accessible: false\n"
	  "    networks: []\n",
	  "err_zone_empty_networks.yaml:13:5: error: 'networks' is empty; list at least one network such as 192.0.2.0/24\n" },
	{ "err_zone_missing_name", false,
	  "rbiblock: 1\n"
	  "name: t\n"
	  "basis: test basis\n"
	  "prohibit:\n"
	  "  categories: [remote-biometric-identification, biometric-categorisation, emotion-recognition]\n"
	  "  timing: [real-time, post]\n"
	  "  actors: [public, private]\n"
	  "  exceptions: []\n"
	  "zones:\n"
	  "  - name: pub\n"
	  "    publicly-accessible: true\n"
	  "    networks: [10.20.0.0/16, \"2001:db8:20::/48\"]\n"
	  "  - publicly-accessible: false\n"
	  "    networks: [10.30.5.0/24]\n",
	  "err_zone_missing_name.yaml:13:5: error: missing required key 'name'\n" },
	{ "err_unknown_alias", false,
	  BASE
	  "recorders: *nothing\n",
	  "err_unknown_alias.yaml:16:12: error: alias to an unknown anchor\n" },
	{ "err_include_missing", false,
	  BASE
	  "catalog:\n"
	  "  include: [no-such-dir/]\n",
	  "err_include_missing.yaml:17:13: error: catalogue 'no-such-dir/': No such file or directory\n" },
};

/* Loads the case's text as "<name>.yaml" and returns what it printed. */
static struct rbi_policy *load_case(const struct policy_case *c,
				    struct rbi_buf *out)
{
	struct rbi_policy *p;
	struct rbi_diags d;
	char file[96], line[1024];
	size_t i;

	snprintf(file, sizeof(file), "%s.yaml", c->name);
	rbi_diags_init(&d);
	p = rbi_policy_load_text(file, c->text,
				 c->len ? c->len : strlen(c->text), 0, &d);
	for (i = 0; i < d.n; i++) {
		rbi_diag_format(&d.v[i], line, sizeof(line));
		rbi_buf_printf(out, "%s\n", line);
	}
	rbi_diags_free(&d);
	return p;
}

static void run_case(void **state)
{
	const struct policy_case *c = *state;
	struct rbi_buf out = RBI_BUF_INIT;
	struct rbi_policy *p = load_case(c, &out);
	bool same = !strcmp(rbi_buf_str(&out), c->diags);
	bool loaded = p != NULL;

	if (!same)
		print_error("got:\n%sexpected:\n%s", rbi_buf_str(&out),
			    c->diags);
	rbi_policy_free(p);
	rbi_buf_free(&out);
	assert_true(same);
	assert_int_equal(loaded, c->valid);
}

int main(void)
{
	struct CMUnitTest tests[RBI_ARRAY_SIZE(cases)];
	size_t i;

	for (i = 0; i < RBI_ARRAY_SIZE(cases); i++) {
		tests[i].name = cases[i].name;
		tests[i].test_func = run_case;
		tests[i].setup_func = NULL;
		tests[i].teardown_func = NULL;
		tests[i].initial_state = (void *)(uintptr_t)&cases[i];
	}
	return _cmocka_run_group_tests("policy", tests, RBI_ARRAY_SIZE(cases),
				       NULL, NULL);
}
