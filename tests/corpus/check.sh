#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Agreement with nDPI on real captures: for every flow that nDPI names in
# ../shared/corpus/ndpi/expected-names.tsv, `rbictl scan` must name the
# flow with the same endpoints and transport with the same name, in at
# least 98% of the TLS, HTTP and DNS rows and 95% of the QUIC rows, each
# protocol on its own. Disagreements are listed; tests/corpus/NOTES.md
# says for each which side is right. None of these captures is of a
# camera, so no flow may carry a camera-analytics marker: one that does is
# a false positive of the markers.
#
# usage: check.sh RBICTL [CORPUS_DIR]   (-v lists the agreeing rows too)
set -u

verbose=0
if [ "${1:-}" = "-v" ]; then
	verbose=1
	shift
fi
rbictl=${1:?usage: check.sh [-v] RBICTL [CORPUS_DIR]}
dir=${2:-$(dirname "$0")/../../../shared/corpus/ndpi}
tsv=$dir/expected-names.tsv

if [ ! -f "$tsv" ]; then
	echo "corpus: skipped: no $tsv (the nDPI corpus is not part of the" \
	     "project; see tests/corpus/NOTES.md)"
	exit 0
fi

# Names do not depend on the policy; a fixed one keeps the run independent
# of /etc/rbiblock/policy.yaml.
policy=$(dirname "$0")/../scan/policy.yaml
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# One scan per capture, each flow as: capture TAB key TAB name, where key
# is the unordered endpoint pair and the transport, as in the TSV.
cut -f1 "$tsv" | sort -u > "$tmp/captures"
fail=0
while read -r cap; do
	if ! "$rbictl" scan --format jsonl -p "$policy" \
	    "$dir/$cap" > "$tmp/out" 2> "$tmp/err"; then
		echo "corpus: rbictl scan failed on $cap:" >&2
		cat "$tmp/err" >&2
		fail=1
		continue
	fi
	grep '"markers":' "$tmp/out" | sed "s|^|  $cap: |" >> "$tmp/marked"
	grep -o '"unnamed":{[^}]*}' "$tmp/err" >> "$tmp/unnamed"
	awk -v cap="$cap" '
	function field(line, key,    m) {
		if (match(line, "\"" key "\":\"[^\"]*\"")) {
			m = substr(line, RSTART, RLENGTH)
			sub("^\"" key "\":\"", "", m)
			return substr(m, 1, length(m) - 1)
		}
		if (match(line, "\"" key "\":[0-9]+")) {
			m = substr(line, RSTART, RLENGTH)
			sub("^\"" key "\":", "", m)
			return m
		}
		return ""
	}
	function ep(ip, port) {
		return (index(ip, ":") ? "[" ip "]" : ip) ":" port
	}
	{
		a = ep(field($0, "src"), field($0, "sport"))
		b = ep(field($0, "dst"), field($0, "dport"))
		if (b < a) { t = a; a = b; b = t }
		name = field($0, "name")
		if (name == "")
			next
		printf "%s\t%s %s %s\t%s\n", cap, toupper(field($0, "l4")),
		       a, b, name
	}' "$tmp/out" >> "$tmp/got"
done < "$tmp/captures"

# Compare: each expected row against the names rbictl gave that flow.
# Addresses are compared in one canonical form (nDPI shortens a single
# zero group of IPv6 to "::", RFC 5952 does not). A name also agrees when
# nDPI's printed form of rbictl's name is nDPI's name: nDPI keeps only
# the last 79 bytes of a name and prints other characters than letters,
# digits, '-', '_' and '.' as '_' (ndpi_hostname_sni_set()).
awk -F'\t' -v verbose="$verbose" '
function canon6(ip,    k, head, tail, h, t, hp, tp, i, out) {
	ip = tolower(ip)
	k = index(ip, "::")
	head = k ? substr(ip, 1, k - 1) : ip
	tail = k ? substr(ip, k + 2) : ""
	h = head == "" ? 0 : split(head, hp, ":")
	t = tail == "" ? 0 : split(tail, tp, ":")
	out = ""
	for (i = 1; i <= h; i++)
		out = out hp[i] ":"
	for (i = 0; k && i < 8 - h - t; i++)
		out = out "0:"
	for (i = 1; i <= t; i++)
		out = out tp[i] ":"
	return substr(out, 1, length(out) - 1)
}
function canon(ep,    ip, port) {
	if (substr(ep, 1, 1) != "[")
		return ep
	ip = substr(ep, 2, index(ep, "]") - 2)
	port = substr(ep, index(ep, "]") + 2)
	return "[" canon6(ip) "]:" port
}
function key(cap, l4, a, b,    t) {
	a = canon(a); b = canon(b)
	if (b < a) { t = a; a = b; b = t }
	return cap "\t" l4 " " a " " b
}
function printed(name) {
	if (length(name) > 79)
		name = substr(name, length(name) - 78)
	gsub(/[^a-z0-9._-]/, "_", name)
	return name
}
FNR == NR {
	split($2, f, " ")
	k = key($1, f[1], f[2], f[3])
	got[k] = (k in got) ? got[k] "|" $3 : $3
	next
}
{
	k = key($1, $2, $3, $4)
	proto = $5 == "HTTP_Proxy" ? "HTTP" : $5
	rows[proto]++
	have = (k in got) ? got[k] : ""
	n = split(have, names, "|")
	how = ""
	for (i = 1; i <= n && how == ""; i++)
		if (names[i] == $6)
			how = "agree"
	for (i = 1; i <= n && how == ""; i++)
		if (printed(names[i]) == $6)
			how = "agree (nDPI prints it so)"
	if (how != "") {
		agree[proto]++
		if (verbose)
			printf "  %s %s %s %s %s %s\n", how, $1, $5, $3, $4, $6
	} else {
		printf "  differ %s %s %s %s: ndpi \"%s\" rbictl \"%s\"\n",
		       $1, $5, $3, $4, $6, have == "" ? "(no name)" : have
	}
}
END {
	split("TLS HTTP DNS QUIC", order, " ")
	min["TLS"] = 98; min["HTTP"] = 98; min["DNS"] = 98; min["QUIC"] = 95
	bad = 0
	for (i = 1; i <= 4; i++) {
		p = order[i]
		pct = rows[p] ? 100 * agree[p] / rows[p] : 100
		status = pct >= min[p] ? "ok" : "FAIL"
		if (status == "FAIL")
			bad = 1
		printf "corpus: %-4s %4d of %4d rows agree " \
		       "(%.1f%%, need %d%%): %s\n", p, agree[p], rows[p], pct,
		       min[p], status
	}
	exit bad
}' "$tmp/got" "$tsv" || fail=1

# What stays unnamed, by reason, over the whole corpus (for NOTES.md).
sed 's/^"unnamed":{//; s/}$//' "$tmp/unnamed" | tr ',' '\n' | awk -F: '
{ gsub(/"/, "", $1); n[$1] += $2; if (!($1 in seen)) { seen[$1] = 1
  order[++k] = $1 } }
END { printf "corpus: unnamed flows by reason:"
      for (i = 1; i <= k; i++) if (n[order[i]]) printf " %s %d", order[i],
	  n[order[i]]
      printf "\n" }'

if [ -s "$tmp/marked" ]; then
	echo "corpus: camera-analytics markers in ordinary traffic: FAIL"
	cat "$tmp/marked"
	fail=1
else
	echo "corpus: no camera-analytics markers in ordinary traffic: ok"
fi

[ "$fail" = 0 ] && echo "corpus: PASS" || echo "corpus: FAIL"
exit "$fail"
