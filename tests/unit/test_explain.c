// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * `policy explain` decisions: one flow per case against a small policy with
 * one service per pattern kind, and the exact JSON object that comes out,
 * reason included, so that both the verdict logic in module/core and the
 * sentences users read are pinned.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "policy/explain.h"

#define POLICY(enforce, categories) \
	"rbiblock: 1\n" \
	"name: t\n" \
	"basis: test basis\n" \
	"prohibit:\n" \
	"  categories: [" categories "]\n" \
	"  timing: [real-time, post]\n" \
	"  actors: [public, private]\n" \
	"zones:\n" \
	"  - name: squares\n" \
	"    publicly-accessible: true\n" \
	"    networks: [10.20.0.0/16, \"2001:db8:20::/48\"]\n" \
	"  - name: staff-door\n" \
	"    publicly-accessible: false\n" \
	"    networks: [10.30.5.0/24, \"2001:db8:30::/48\"]\n" \
	"recorders:\n" \
	"  - name: vms\n" \
	"    networks: [10.10.0.5/32, \"2001:db8:10::5/128\"]\n" \
	"    ports: [554, 443]\n" \
	"catalog:\n" \
	"  replace-builtin: true\n" \
	"  services:\n" \
	"    - id: exact-svc\n" \
	"      categories: [remote-biometric-identification]\n" \
	"      names: [api.exact.example]\n" \
	"    - id: subtree-svc\n" \
	"      categories: [remote-biometric-identification, emotion-recognition]\n" \
	"      names: [\"*.subtree.example\"]\n" \
	"    - id: star-svc\n" \
	"      categories: [biometric-categorisation]\n" \
	"      names: [\"face.*.star.example\"]\n" \
	"    - id: shared-svc\n" \
	"      categories: [remote-biometric-identification]\n" \
	"      names: [vision.shared.example]\n" \
	"      shared: true\n" \
	"    - id: emotion-only\n" \
	"      categories: [emotion-recognition]\n" \
	"      names: [emo.example]\n" \
	"    - id: onprem\n" \
	"      categories: [remote-biometric-identification]\n" \
	"      networks: [0.0.0.0/0, \"::/0\"]\n" \
	"      ports: [18411]\n" \
	"    - id: udp-sig\n" \
	"      categories: [remote-biometric-identification]\n" \
	"      networks: [0.0.0.0/0, \"::/0\"]\n" \
	"      ports: [8800/udp]\n" \
	"    - id: fr-hosts\n" \
	"      categories: [remote-biometric-identification]\n" \
	"      networks: [192.0.2.0/24, \"2001:db8:99::/48\"]\n" \
	"enforce:\n" enforce

#define ALL_CATS \
	"remote-biometric-identification, biometric-categorisation, " \
	"emotion-recognition"

enum policy_variant {
	P_STRICT,
	P_LENIENT,	/* shared-hosts, quic, ech: log/allow */
	P_QUIC_LOG,
	P_RBI_ONLY,
	P_BUILTIN,	/* the built-in default policy and catalogue */
	__P_MAX
};

static const char *const policy_text[__P_MAX] = {
	[P_STRICT] = POLICY("  quic: block\n", ALL_CATS),
	[P_LENIENT] = POLICY("  shared-hosts: log\n  quic: allow\n"
			     "  encrypted-client-hello: allow\n", ALL_CATS),
	[P_QUIC_LOG] = POLICY("  quic: log\n  encrypted-client-hello: log\n",
			      ALL_CATS),
	[P_RBI_ONLY] = POLICY("  quic: block\n",
			      "remote-biometric-identification"),
};

struct explain_case {
	const char *name;
	enum policy_variant policy;
	const char *src;
	const char *dst;
	uint16_t sport;
	uint16_t dport;
	uint8_t l4;
	uint8_t app;
	const char *host;
	bool ech;
	const char *learned;	/* service id the dst was learned for */
	uint32_t markers;
	const char *expect;
};

static struct rbi_policy *policies[__P_MAX];

static const struct explain_case cases[] = {
	{ "exact_name", P_STRICT, "10.20.0.5", "198.51.100.7", 0, 443, 0, RBI_APP_TLS, "api.exact.example", false, NULL, 0,
	  "{\"verdict\":\"block\",\"zone\":\"squares\""
	  ",\"service\":\"exact-svc\""
	  ",\"category\":\"remote-biometric-identification\""
	  ",\"rule\":\"prohibit-rbi\",\"basis\":\"test basis\""
	  ",\"reason\":\"name api.exact.example matches api.exact.example of exact-svc; exact-svc offers remote-biometric-identification"
	  ", prohibited in publicly accessible zone squares\"}" },
	{ "exact_name_case_and_dot", P_STRICT, "10.20.0.5", "198.51.100.7", 0, 443, 0, RBI_APP_TLS, "API.Exact.Example.", false, NULL, 0,
	  "{\"verdict\":\"block\",\"zone\":\"squares\""
	  ",\"service\":\"exact-svc\""
	  ",\"category\":\"remote-biometric-identification\""
	  ",\"rule\":\"prohibit-rbi\",\"basis\":\"test basis\""
	  ",\"reason\":\"name API.Exact.Example. matches api.exact.example of exact-svc; exact-svc offers remote-biometric-identification"
	  ", prohibited in publicly accessible zone squares\"}" },
	{ "subtree_deep", P_STRICT, "10.20.0.5", "198.51.100.7", 0, 443, 0, RBI_APP_TLS, "a.b.subtree.example", false, NULL, 0,
	  "{\"verdict\":\"block\",\"zone\":\"squares\""
	  ",\"service\":\"subtree-svc\""
	  ",\"category\":\"remote-biometric-identification\""
	  ",\"rule\":\"prohibit-rbi\",\"basis\":\"test basis\""
	  ",\"reason\":\"name a.b.subtree.example matches *.subtree.example of subtree-svc; subtree-svc offers remote-biometric-identification"
	  ", prohibited in publicly accessible zone squares\"}" },
	{ "subtree_apex_not_matched", P_STRICT, "10.20.0.5", "198.51.100.7", 0, 443, 0, RBI_APP_TLS, "subtree.example", false, NULL, 0,
	  "{\"verdict\":\"allow\",\"zone\":\"squares\",\"service\":null"
	  ",\"category\":null,\"rule\":null,\"basis\":null"
	  ",\"reason\":\"no prohibited service matches in publicly accessible zone squares\"}" },
	{ "single_star", P_STRICT, "10.20.0.5", "198.51.100.7", 0, 443, 0, RBI_APP_TLS, "face.eu-1.star.example", false, NULL, 0,
	  "{\"verdict\":\"block\",\"zone\":\"squares\""
	  ",\"service\":\"star-svc\""
	  ",\"category\":\"biometric-categorisation\""
	  ",\"rule\":\"prohibit-categorisation\""
	  ",\"basis\":\"test basis\""
	  ",\"reason\":\"name face.eu-1.star.example matches face.*.star.example of star-svc; star-svc offers biometric-categorisation"
	  ", prohibited in publicly accessible zone squares\"}" },
	{ "single_star_two_labels", P_STRICT, "10.20.0.5", "198.51.100.7", 0, 443, 0, RBI_APP_TLS, "face.a.b.star.example", false, NULL, 0,
	  "{\"verdict\":\"allow\",\"zone\":\"squares\",\"service\":null"
	  ",\"category\":null,\"rule\":null,\"basis\":null"
	  ",\"reason\":\"no prohibited service matches in publicly accessible zone squares\"}" },
	{ "http_host", P_STRICT, "10.20.0.5", "198.51.100.7", 0, 80, 0, RBI_APP_HTTP, "api.exact.example", false, NULL, 0,
	  "{\"verdict\":\"block\",\"zone\":\"squares\""
	  ",\"service\":\"exact-svc\""
	  ",\"category\":\"remote-biometric-identification\""
	  ",\"rule\":\"prohibit-rbi\",\"basis\":\"test basis\""
	  ",\"reason\":\"name api.exact.example matches api.exact.example of exact-svc; exact-svc offers remote-biometric-identification"
	  ", prohibited in publicly accessible zone squares\"}" },
	{ "dns_query", P_STRICT, "10.20.0.5", "198.51.100.53", 0, 53, RBI_L4_UDP, RBI_APP_DNS, "api.exact.example", false, NULL, 0,
	  "{\"verdict\":\"block\",\"zone\":\"squares\""
	  ",\"service\":\"exact-svc\""
	  ",\"category\":\"remote-biometric-identification\""
	  ",\"rule\":\"prohibit-rbi\",\"basis\":\"test basis\""
	  ",\"reason\":\"name api.exact.example matches api.exact.example of exact-svc; exact-svc offers remote-biometric-identification"
	  ", prohibited in publicly accessible zone squares\"}" },
	{ "ipv6_source", P_STRICT, "2001:db8:20::5", "2001:db8:ffff::7", 0, 443, 0, RBI_APP_TLS, "api.exact.example", false, NULL, 0,
	  "{\"verdict\":\"block\",\"zone\":\"squares\""
	  ",\"service\":\"exact-svc\""
	  ",\"category\":\"remote-biometric-identification\""
	  ",\"rule\":\"prohibit-rbi\",\"basis\":\"test basis\""
	  ",\"reason\":\"name api.exact.example matches api.exact.example of exact-svc; exact-svc offers remote-biometric-identification"
	  ", prohibited in publicly accessible zone squares\"}" },
	{ "ipv6_staff_zone", P_STRICT, "2001:db8:30::5", "2001:db8:ffff::7", 0, 443, 0, RBI_APP_TLS, "api.exact.example", false, NULL, 0,
	  "{\"verdict\":\"allow\",\"zone\":\"staff-door\""
	  ",\"service\":null,\"category\":null,\"rule\":null"
	  ",\"basis\":null"
	  ",\"reason\":\"zone staff-door is not publicly accessible\"}" },
	{ "non_public_zone", P_STRICT, "10.30.5.9", "198.51.100.7", 0, 443, 0, RBI_APP_TLS, "api.exact.example", false, NULL, 0,
	  "{\"verdict\":\"allow\",\"zone\":\"staff-door\""
	  ",\"service\":null,\"category\":null,\"rule\":null"
	  ",\"basis\":null"
	  ",\"reason\":\"zone staff-door is not publicly accessible\"}" },
	{ "no_zone", P_STRICT, "203.0.113.5", "198.51.100.7", 0, 443, 0, RBI_APP_TLS, "api.exact.example", false, NULL, 0,
	  "{\"verdict\":\"allow\",\"zone\":null,\"service\":null"
	  ",\"category\":null,\"rule\":null,\"basis\":null"
	  ",\"reason\":\"neither 203.0.113.5 nor 198.51.100.7 is in a zone of this policy\"}" },
	{ "nothing_prohibited", P_STRICT, "10.20.0.5", "198.51.100.7", 0, 443, 0, RBI_APP_TLS, "www.example.org", false, NULL, 0,
	  "{\"verdict\":\"allow\",\"zone\":\"squares\",\"service\":null"
	  ",\"category\":null,\"rule\":null,\"basis\":null"
	  ",\"reason\":\"no prohibited service matches in publicly accessible zone squares\"}" },
	{ "shared_host_blocked", P_STRICT, "10.20.0.5", "198.51.100.7", 0, 443, 0, RBI_APP_TLS, "vision.shared.example", false, NULL, 0,
	  "{\"verdict\":\"block\",\"zone\":\"squares\""
	  ",\"service\":\"shared-svc\""
	  ",\"category\":\"remote-biometric-identification\""
	  ",\"rule\":\"prohibit-rbi\",\"basis\":\"test basis\""
	  ",\"reason\":\"name vision.shared.example matches vision.shared.example of shared-svc; shared-svc is a shared host (shared-hosts: block); shared-svc offers remote-biometric-identification"
	  ", prohibited in publicly accessible zone squares\"}" },
	{ "shared_host_logged", P_LENIENT, "10.20.0.5", "198.51.100.7", 0, 443, 0, RBI_APP_TLS, "vision.shared.example", false, NULL, 0,
	  "{\"verdict\":\"allow\",\"zone\":\"squares\""
	  ",\"service\":\"shared-svc\""
	  ",\"category\":\"remote-biometric-identification\""
	  ",\"rule\":\"prohibit-rbi\",\"basis\":\"test basis\""
	  ",\"reason\":\"name vision.shared.example matches vision.shared.example of shared-svc; shared-svc is a shared host that also serves other APIs"
	  ", so the flow is recorded"
	  ", not blocked (shared-hosts: log)\"}" },
	{ "recorder_destination", P_STRICT, "10.20.0.5", "10.10.0.5", 0, 554, 0, RBI_APP_RTSP, NULL, false, NULL, 0,
	  "{\"verdict\":\"allow\",\"zone\":\"squares\",\"service\":null"
	  ",\"category\":null,\"rule\":null,\"basis\":null"
	  ",\"reason\":\"destination 10.10.0.5 port 554 is recorder vms\"}" },
	{ "recorder_wrong_port", P_STRICT, "10.20.0.5", "10.10.0.5", 0, 8080, 0, 0, NULL, false, NULL, 0,
	  "{\"verdict\":\"allow\",\"zone\":\"squares\",\"service\":null"
	  ",\"category\":null,\"rule\":null,\"basis\":null"
	  ",\"reason\":\"no prohibited service matches in publicly accessible zone squares\"}" },
	{ "recorder_ipv6", P_STRICT, "2001:db8:20::5", "2001:db8:10::5", 0, 443, 0, RBI_APP_TLS, NULL, false, NULL, 0,
	  "{\"verdict\":\"allow\",\"zone\":\"squares\",\"service\":null"
	  ",\"category\":null,\"rule\":null,\"basis\":null"
	  ",\"reason\":\"destination 2001:db8:10::5 port 443 is recorder vms\"}" },
	{ "recorder_pulls_stream", P_STRICT, "10.10.0.5", "10.20.1.1", 40000, 554, 0, 0, NULL, false, NULL, 0,
	  "{\"verdict\":\"allow\",\"zone\":\"squares\",\"service\":null"
	  ",\"category\":null,\"rule\":null,\"basis\":null"
	  ",\"reason\":\"source 10.10.0.5 is recorder vms\"}" },
	{ "rtsp_pull_by_stranger", P_STRICT, "198.51.100.9", "10.20.1.1", 40000, 554, 0, 0, NULL, false, NULL, 0,
	  "{\"verdict\":\"block\",\"zone\":\"squares\",\"service\":null"
	  ",\"category\":null,\"rule\":\"block-rtsp-pull\""
	  ",\"basis\":\"In support of t: test basis\""
	  ",\"reason\":\"198.51.100.9 is not an approved recorder and opened an RTSP stream pull from camera 10.20.1.1 in publicly accessible zone squares\"}" },
	{ "rtsp_pull_app", P_STRICT, "198.51.100.9", "10.20.1.1", 40000, 8554, 0, RBI_APP_RTSP, NULL, false, NULL, 0,
	  "{\"verdict\":\"block\",\"zone\":\"squares\",\"service\":null"
	  ",\"category\":null,\"rule\":\"block-rtsp-pull\""
	  ",\"basis\":\"In support of t: test basis\""
	  ",\"reason\":\"198.51.100.9 is not an approved recorder and opened an RTSP stream pull from camera 10.20.1.1 in publicly accessible zone squares\"}" },
	{ "rtsp_pull_staff_camera", P_STRICT, "198.51.100.9", "10.30.5.9", 40000, 554, 0, 0, NULL, false, NULL, 0,
	  "{\"verdict\":\"allow\",\"zone\":\"staff-door\""
	  ",\"service\":null,\"category\":null,\"rule\":null"
	  ",\"basis\":null"
	  ",\"reason\":\"zone staff-door is not publicly accessible\"}" },
	{ "quic_blocked", P_STRICT, "10.20.0.5", "198.51.100.7", 0, 443, RBI_L4_UDP, RBI_APP_QUIC, "www.example.org", false, NULL, 0,
	  "{\"verdict\":\"block\",\"zone\":\"squares\",\"service\":null"
	  ",\"category\":null,\"rule\":\"block-quic\""
	  ",\"basis\":\"In support of t: test basis\""
	  ",\"reason\":\"QUIC from publicly accessible zone squares hides the service name (quic: block)\"}" },
	{ "quic_port_without_name", P_STRICT, "10.20.0.5", "198.51.100.7", 0, 443, RBI_L4_UDP, 0, NULL, false, NULL, 0,
	  "{\"verdict\":\"block\",\"zone\":\"squares\",\"service\":null"
	  ",\"category\":null,\"rule\":\"block-quic\""
	  ",\"basis\":\"In support of t: test basis\""
	  ",\"reason\":\"QUIC from publicly accessible zone squares hides the service name (quic: block)\"}" },
	{ "quic_logged", P_QUIC_LOG, "10.20.0.5", "198.51.100.7", 0, 443, RBI_L4_UDP, RBI_APP_QUIC, "www.example.org", false, NULL, 0,
	  "{\"verdict\":\"allow\",\"zone\":\"squares\",\"service\":null"
	  ",\"category\":null,\"rule\":\"block-quic\""
	  ",\"basis\":\"In support of t: test basis\""
	  ",\"reason\":\"QUIC from publicly accessible zone squares hides the service name (quic: log)\"}" },
	{ "quic_allowed", P_LENIENT, "10.20.0.5", "198.51.100.7", 0, 443, RBI_L4_UDP, RBI_APP_QUIC, "www.example.org", false, NULL, 0,
	  "{\"verdict\":\"allow\",\"zone\":\"squares\",\"service\":null"
	  ",\"category\":null,\"rule\":null,\"basis\":null"
	  ",\"reason\":\"no prohibited service matches in publicly accessible zone squares\"}" },
	{ "quic_rbi_name", P_LENIENT, "10.20.0.5", "198.51.100.7", 0, 443, RBI_L4_UDP, RBI_APP_QUIC, "api.exact.example", false, NULL, 0,
	  "{\"verdict\":\"block\",\"zone\":\"squares\""
	  ",\"service\":\"exact-svc\""
	  ",\"category\":\"remote-biometric-identification\""
	  ",\"rule\":\"prohibit-rbi\",\"basis\":\"test basis\""
	  ",\"reason\":\"name api.exact.example matches api.exact.example of exact-svc; exact-svc offers remote-biometric-identification"
	  ", prohibited in publicly accessible zone squares\"}" },
	{ "ech_blocked", P_STRICT, "10.20.0.5", "198.51.100.7", 0, 443, 0, RBI_APP_TLS, "public.ech.example", true, NULL, 0,
	  "{\"verdict\":\"block\",\"zone\":\"squares\",\"service\":null"
	  ",\"category\":null,\"rule\":\"block-ech\""
	  ",\"basis\":\"In support of t: test basis\""
	  ",\"reason\":\"the ClientHello is encrypted (ECH)"
	  ", so the service name is hidden (encrypted-client-hello: block)\"}" },
	{ "ech_logged", P_QUIC_LOG, "10.20.0.5", "198.51.100.7", 0, 443, 0, RBI_APP_TLS, "public.ech.example", true, NULL, 0,
	  "{\"verdict\":\"allow\",\"zone\":\"squares\",\"service\":null"
	  ",\"category\":null,\"rule\":\"block-ech\""
	  ",\"basis\":\"In support of t: test basis\""
	  ",\"reason\":\"the ClientHello is encrypted (ECH)"
	  ", so the service name is hidden (encrypted-client-hello: log)\"}" },
	{ "ech_allowed", P_LENIENT, "10.20.0.5", "198.51.100.7", 0, 443, 0, RBI_APP_TLS, "public.ech.example", true, NULL, 0,
	  "{\"verdict\":\"allow\",\"zone\":\"squares\",\"service\":null"
	  ",\"category\":null,\"rule\":null,\"basis\":null"
	  ",\"reason\":\"no prohibited service matches in publicly accessible zone squares\"}" },
	{ "ech_with_rbi_name", P_STRICT, "10.20.0.5", "198.51.100.7", 0, 443, 0, RBI_APP_TLS, "api.exact.example", true, NULL, 0,
	  "{\"verdict\":\"block\",\"zone\":\"squares\""
	  ",\"service\":\"exact-svc\""
	  ",\"category\":\"remote-biometric-identification\""
	  ",\"rule\":\"prohibit-rbi\",\"basis\":\"test basis\""
	  ",\"reason\":\"name api.exact.example matches api.exact.example of exact-svc; exact-svc offers remote-biometric-identification"
	  ", prohibited in publicly accessible zone squares\"}" },
	{ "port_signature", P_STRICT, "10.20.0.5", "203.0.113.7", 0, 18411, 0, 0, NULL, false, NULL, 0,
	  "{\"verdict\":\"block\",\"zone\":\"squares\""
	  ",\"service\":\"onprem\""
	  ",\"category\":\"remote-biometric-identification\""
	  ",\"rule\":\"prohibit-rbi\",\"basis\":\"test basis\""
	  ",\"reason\":\"destination 203.0.113.7 port 18411 is in network 0.0.0.0/0 of onprem; onprem offers remote-biometric-identification"
	  ", prohibited in publicly accessible zone squares\"}" },
	{ "port_signature_other_port", P_STRICT, "10.20.0.5", "203.0.113.7", 0, 18412, 0, 0, NULL, false, NULL, 0,
	  "{\"verdict\":\"allow\",\"zone\":\"squares\",\"service\":null"
	  ",\"category\":null,\"rule\":null,\"basis\":null"
	  ",\"reason\":\"no prohibited service matches in publicly accessible zone squares\"}" },
	{ "port_signature_udp_only", P_STRICT, "10.20.0.5", "203.0.113.7", 0, 8800, RBI_L4_UDP, 0, NULL, false, NULL, 0,
	  "{\"verdict\":\"block\",\"zone\":\"squares\""
	  ",\"service\":\"udp-sig\""
	  ",\"category\":\"remote-biometric-identification\""
	  ",\"rule\":\"prohibit-rbi\",\"basis\":\"test basis\""
	  ",\"reason\":\"destination 203.0.113.7 port 8800 is in network 0.0.0.0/0 of udp-sig; udp-sig offers remote-biometric-identification"
	  ", prohibited in publicly accessible zone squares\"}" },
	{ "port_signature_udp_not_tcp", P_STRICT, "10.20.0.5", "203.0.113.7", 0, 8800, RBI_L4_TCP, 0, NULL, false, NULL, 0,
	  "{\"verdict\":\"allow\",\"zone\":\"squares\",\"service\":null"
	  ",\"category\":null,\"rule\":null,\"basis\":null"
	  ",\"reason\":\"no prohibited service matches in publicly accessible zone squares\"}" },
	{ "port_signature_any_protocol_udp", P_STRICT, "10.20.0.5", "203.0.113.7", 0, 18411, RBI_L4_UDP, 0, NULL, false, NULL, 0,
	  "{\"verdict\":\"block\",\"zone\":\"squares\""
	  ",\"service\":\"onprem\""
	  ",\"category\":\"remote-biometric-identification\""
	  ",\"rule\":\"prohibit-rbi\",\"basis\":\"test basis\""
	  ",\"reason\":\"destination 203.0.113.7 port 18411 is in network 0.0.0.0/0 of onprem; onprem offers remote-biometric-identification"
	  ", prohibited in publicly accessible zone squares\"}" },
	{ "port_signature_is_no_host", P_STRICT, "203.0.113.7", "10.20.1.1", 18411, 80, 0, 0, NULL, false, NULL, 0,
	  "{\"verdict\":\"allow\",\"zone\":\"squares\",\"service\":null"
	  ",\"category\":null,\"rule\":null,\"basis\":null"
	  ",\"reason\":\"no prohibited service matches in publicly accessible zone squares\"}" },
	{ "service_network", P_STRICT, "10.20.0.5", "192.0.2.9", 0, 443, 0, 0, NULL, false, NULL, 0,
	  "{\"verdict\":\"block\",\"zone\":\"squares\""
	  ",\"service\":\"fr-hosts\""
	  ",\"category\":\"remote-biometric-identification\""
	  ",\"rule\":\"prohibit-rbi\",\"basis\":\"test basis\""
	  ",\"reason\":\"destination 192.0.2.9 port 443 is in network 192.0.2.0/24 of fr-hosts; fr-hosts offers remote-biometric-identification"
	  ", prohibited in publicly accessible zone squares\"}" },
	{ "service_network_ipv6", P_STRICT, "2001:db8:20::5", "2001:db8:99::1", 0, 443, 0, 0, NULL, false, NULL, 0,
	  "{\"verdict\":\"block\",\"zone\":\"squares\""
	  ",\"service\":\"fr-hosts\""
	  ",\"category\":\"remote-biometric-identification\""
	  ",\"rule\":\"prohibit-rbi\",\"basis\":\"test basis\""
	  ",\"reason\":\"destination 2001:db8:99::1 port 443 is in network 2001:db8:99::/48 of fr-hosts; fr-hosts offers remote-biometric-identification"
	  ", prohibited in publicly accessible zone squares\"}" },
	{ "service_host_opens_flow", P_STRICT, "192.0.2.5", "10.20.1.1", 40000, 80, 0, 0, NULL, false, NULL, 0,
	  "{\"verdict\":\"block\",\"zone\":\"squares\""
	  ",\"service\":\"fr-hosts\""
	  ",\"category\":\"remote-biometric-identification\""
	  ",\"rule\":\"prohibit-rbi\",\"basis\":\"test basis\""
	  ",\"reason\":\"source 192.0.2.5 is in network 192.0.2.0/24 of fr-hosts and opened a flow to a camera; fr-hosts offers remote-biometric-identification"
	  ", prohibited in publicly accessible zone squares\"}" },
	{ "service_host_to_staff", P_STRICT, "192.0.2.5", "10.30.5.9", 40000, 80, 0, 0, NULL, false, NULL, 0,
	  "{\"verdict\":\"allow\",\"zone\":\"staff-door\""
	  ",\"service\":null,\"category\":null,\"rule\":null"
	  ",\"basis\":null"
	  ",\"reason\":\"zone staff-door is not publicly accessible\"}" },
	{ "category_not_prohibited", P_RBI_ONLY, "10.20.0.5", "198.51.100.7", 0, 443, 0, RBI_APP_TLS, "emo.example", false, NULL, 0,
	  "{\"verdict\":\"allow\",\"zone\":\"squares\""
	  ",\"service\":\"emotion-only\",\"category\":null"
	  ",\"rule\":null,\"basis\":null"
	  ",\"reason\":\"name emo.example matches emo.example of emotion-only; emotion-only offers no category this policy prohibits\"}" },
	{ "category_partly_prohibited", P_RBI_ONLY, "10.20.0.5", "198.51.100.7", 0, 443, 0, RBI_APP_TLS, "x.subtree.example", false, NULL, 0,
	  "{\"verdict\":\"block\",\"zone\":\"squares\""
	  ",\"service\":\"subtree-svc\""
	  ",\"category\":\"remote-biometric-identification\""
	  ",\"rule\":\"prohibit-rbi\",\"basis\":\"test basis\""
	  ",\"reason\":\"name x.subtree.example matches *.subtree.example of subtree-svc; subtree-svc offers remote-biometric-identification"
	  ", prohibited in publicly accessible zone squares\"}" },
	{ "learned_address", P_STRICT, "10.20.0.5", "198.51.100.77", 0, 443, 0, 0, NULL, false, "exact-svc", 0,
	  "{\"verdict\":\"block\",\"zone\":\"squares\""
	  ",\"service\":\"exact-svc\""
	  ",\"category\":\"remote-biometric-identification\""
	  ",\"rule\":\"prohibit-rbi\",\"basis\":\"test basis\""
	  ",\"reason\":\"198.51.100.77 was learned from a DNS answer for a name of exact-svc; exact-svc offers remote-biometric-identification"
	  ", prohibited in publicly accessible zone squares\"}" },
	{ "camera_analytics", P_STRICT, "198.51.100.9", "10.20.1.1", 40000, 80, 0, RBI_APP_HTTP, "10.20.1.1", false, NULL, 1,
	  "{\"verdict\":\"block\",\"zone\":\"squares\",\"service\":null"
	  ",\"category\":null,\"rule\":\"block-camera-analytics\""
	  ",\"basis\":\"In support of t: test basis\""
	  ",\"reason\":\"198.51.100.9 requested face analytics (face-library) from camera 10.20.1.1 in publicly accessible zone squares (camera-analytics: block)\"}" },
	{ "doh_by_address", P_BUILTIN, "10.20.0.5", "8.8.8.8", 0, 443, 0, 0, NULL, false, NULL, 0,
	  "{\"verdict\":\"block\",\"zone\":\"all\""
	  ",\"service\":\"google-public-dns\",\"category\":null"
	  ",\"rule\":\"block-doh\""
	  ",\"basis\":\"In support of eu-ai-act-art5-1d-amended: Proposed amendment to AI Act Article 5(1)(d): prohibit all remote biometric identification in publicly accessible spaces"
	  ", real-time and post, by public and private actors"
	  ", without exceptions; also biometric categorisation and emotion recognition.\""
	  ",\"reason\":\"8.8.8.8 is DNS-over-HTTPS resolver google-public-dns"
	  ", which would bypass DNS learning (dns-over-https: block)\"}" },
	{ "doh_by_name", P_BUILTIN, "10.20.0.5", "198.51.100.7", 0, 443, 0, RBI_APP_TLS, "dns.google", false, NULL, 0,
	  "{\"verdict\":\"block\",\"zone\":\"all\""
	  ",\"service\":\"google-public-dns\",\"category\":null"
	  ",\"rule\":\"block-doh\""
	  ",\"basis\":\"In support of eu-ai-act-art5-1d-amended: Proposed amendment to AI Act Article 5(1)(d): prohibit all remote biometric identification in publicly accessible spaces"
	  ", real-time and post, by public and private actors"
	  ", without exceptions; also biometric categorisation and emotion recognition.\""
	  ",\"reason\":\"dns.google is DNS-over-HTTPS resolver google-public-dns"
	  ", which would bypass DNS learning (dns-over-https: block)\"}" },
	{ "dns_to_resolver_port_53", P_BUILTIN, "10.20.0.5", "8.8.8.8", 0, 53, RBI_L4_UDP, RBI_APP_DNS, "www.example.org", false, NULL, 0,
	  "{\"verdict\":\"allow\",\"zone\":\"all\",\"service\":null"
	  ",\"category\":null,\"rule\":null,\"basis\":null"
	  ",\"reason\":\"no prohibited service matches in publicly accessible zone all\"}" },
	{ "builtin_rekognition", P_BUILTIN, "10.20.0.5", "198.51.100.7", 0, 443, 0, RBI_APP_TLS, "rekognition.eu-west-1.amazonaws.com", false, NULL, 0,
	  "{\"verdict\":\"block\",\"zone\":\"all\""
	  ",\"service\":\"aws-rekognition\""
	  ",\"category\":\"remote-biometric-identification\""
	  ",\"rule\":\"prohibit-rbi\""
	  ",\"basis\":\"Proposed amendment to AI Act Article 5(1)(d): prohibit all remote biometric identification in publicly accessible spaces"
	  ", real-time and post, by public and private actors"
	  ", without exceptions; also biometric categorisation and emotion recognition.\""
	  ",\"reason\":\"name rekognition.eu-west-1.amazonaws.com matches rekognition.*.amazonaws.com of aws-rekognition; aws-rekognition offers remote-biometric-identification"
	  ", prohibited in publicly accessible zone all\"}" },
};

static uint32_t service_index(const struct rbi_policy *p, const char *id)
{
	size_t i;

	for (i = 0; i < p->n_services; i++)
		if (!strcmp(p->services[i].id, id))
			return (uint32_t)i;
	fail_msg("no service %s", id);
	return RBI_NONE;
}

static void run_case(void **state)
{
	const struct explain_case *c = *state;
	const struct rbi_policy *p = policies[c->policy];
	struct rbi_buf out = RBI_BUF_INIT;
	struct rbi_decision d;
	struct rbi_flow f = {
		.sport = c->sport,
		.dport = c->dport,
		.l4 = c->l4 ? c->l4 : RBI_L4_TCP,
		.app = c->app,
		.ech = c->ech,
		.name = c->host,
		.name_len = c->host ? strlen(c->host) : 0,
		.learned = RBI_NONE,
		.markers = c->markers,
	};
	struct rbi_json j;
	bool same;

	assert_non_null(p);
	assert_int_equal(rbi_ip_parse(c->src, strlen(c->src), &f.src), 0);
	assert_int_equal(rbi_ip_parse(c->dst, strlen(c->dst), &f.dst), 0);
	if (c->learned)
		f.learned = service_index(p, c->learned);
	rbi_classify(p->config, &f, &d);
	rbi_json_init(&j, &out);
	rbi_json_obj_begin(&j);
	rbi_decision_json(p, &f, &d, true, &j);
	rbi_json_obj_end(&j);
	same = !strcmp(rbi_buf_str(&out), c->expect);
	if (!same)
		print_error("got:      %s\nexpected: %s\n", rbi_buf_str(&out),
			    c->expect);
	rbi_buf_free(&out);
	assert_true(same);
}

static int load_policies(void **state)
{
	struct rbi_diags d;
	size_t i;

	rbi_diags_init(&d);
	for (i = 0; i < __P_MAX; i++) {
		if (i == P_BUILTIN)
			policies[i] = rbi_policy_load(NULL, 0, &d);
		else
			policies[i] = rbi_policy_load_text("t.yaml",
							   policy_text[i],
							   strlen(policy_text[i]),
							   0, &d);
	}
	rbi_diags_print(&d, stderr);
	rbi_diags_free(&d);
	return 0;
}

static int free_policies(void **state)
{
	size_t i;

	for (i = 0; i < __P_MAX; i++)
		rbi_policy_free(policies[i]);
	return 0;
}

int main(void)
{
	struct CMUnitTest tests[RBI_ARRAY_SIZE(cases)];
	size_t i;

	for (i = 0; i < RBI_ARRAY_SIZE(cases); i++) {
		memset(&tests[i], 0, sizeof(tests[i]));
		tests[i].name = cases[i].name;
		tests[i].test_func = run_case;
		tests[i].initial_state = (void *)(uintptr_t)&cases[i];
	}
	return _cmocka_run_group_tests("explain", tests, RBI_ARRAY_SIZE(cases),
				       load_policies, free_policies);
}
