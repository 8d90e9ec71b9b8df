// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "rbi_analytics.h"

struct rbi_needle {
	const char *text;	/* lower case */
	uint8_t len;
	uint8_t marker;
};

#define RBI_NEEDLE(s, m) { s, sizeof(s) - 1, m }

enum {
	/* A %XX escape is three bytes for the one it stands for. */
	RBI_ESCAPE_LEN = 3,
	RBI_FIRST_WORDS = 256 / 32,
};

/*
 * Specific enough that ordinary camera traffic never carries them; each
 * comes from the vendor interface rbi-services.md (table B) cites. One
 * that starts with a letter must start a word (rbi_analytics.h).
 */
static const struct rbi_needle rbi_needles[] = {
	/* Hikvision face library: its path, and the library type (blackFD,
	 * whiteFD) in its XML, JSON and queries. */
	RBI_NEEDLE("/isapi/intelligent/fdlib", RBI_MARKER_FACE_LIBRARY),
	RBI_NEEDLE("facelibtype", RBI_MARKER_FACE_LIBRARY),
	/* Dahua face database: createGroup, addPerson, startFind... */
	RBI_NEEDLE("facerecognitionserver.cgi", RBI_MARKER_FACE_LIBRARY),
	/* ONVIF's topic; ONVIF's tt:FaceRecognition rule, Dahua's event. */
	RBI_NEEDLE("ruleengine/recognition/face", RBI_MARKER_FACE_RECOGNITION),
	RBI_NEEDLE("facerecognition", RBI_MARKER_FACE_RECOGNITION),
	/*
	 * ONVIF's recognition item, as the attribute it always is: a bare
	 * "enrollmentId" is any web application's course or device.
	 */
	RBI_NEEDLE("name=\"enrollmentid\"", RBI_MARKER_FACE_RECOGNITION),
	RBI_NEEDLE("name='enrollmentid'", RBI_MARKER_FACE_RECOGNITION),
	RBI_NEEDLE("facedetection", RBI_MARKER_FACE_DETECTION),
	RBI_NEEDLE("facesnap", RBI_MARKER_FACE_DETECTION),
	RBI_NEEDLE("facecapture", RBI_MARKER_FACE_DETECTION),
	RBI_NEEDLE("humanface", RBI_MARKER_FACE_DETECTION),
	/* ONVIF's older class candidate, Hikvision's recognition target. */
	RBI_NEEDLE(">face</", RBI_MARKER_FACE_DETECTION),
	RBI_NEEDLE("onvif.org/ver20/analytics/humanface",
		   RBI_MARKER_FACE_ATTRIBUTES),
	RBI_NEEDLE("faceexpression", RBI_MARKER_FACE_EXPRESSION),
};

/* What one call needs to know of the needles. */
struct rbi_analytics_plan {
	uint32_t first[RBI_FIRST_WORDS];	/* bytes a needle starts with */
	size_t reach;		/* the most input bytes one match spans */
};

static void rbi_analytics_plan(struct rbi_analytics_plan *p)
{
	const struct rbi_needle *n;
	size_t k;
	uint8_t c;

	rbi_memset(p, 0, sizeof(*p));
	for (k = 0; k < RBI_ARRAY_SIZE(rbi_needles); k++) {
		n = &rbi_needles[k];
		c = (uint8_t)n->text[0];
		p->first[c / 32] |= 1u << (c % 32);
		if ((size_t)n->len * RBI_ESCAPE_LEN > p->reach)
			p->reach = (size_t)n->len * RBI_ESCAPE_LEN;
	}
}

static int rbi_hex(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (uint8_t)rbi_tolower((char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static bool rbi_is_word(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* The byte a %XX escape at p[0..3) stands for, or -1 when it is none. */
static int rbi_escape(const uint8_t *p)
{
	int hi, lo;

	if (p[0] != '%')
		return -1;
	hi = rbi_hex(p[1]);
	lo = rbi_hex(p[2]);
	return hi >= 0 && lo >= 0 ? hi << 4 | lo : -1;
}

/*
 * The byte at buf[*i] as the marker matcher sees it: lower case, with a
 * %XX escape decoded. Steps *i past what it read.
 */
static uint8_t rbi_analytics_byte(const uint8_t *buf, size_t len, size_t *i)
{
	int e = len - *i >= RBI_ESCAPE_LEN ? rbi_escape(buf + *i) : -1;

	if (e < 0) {
		(*i)++;
		return (uint8_t)rbi_tolower((char)buf[*i - 1]);
	}
	*i += RBI_ESCAPE_LEN;
	return (uint8_t)rbi_tolower((char)e);
}

/* Whether the character before buf[i] ends a word: no word starts at i. */
static bool rbi_after_word(const uint8_t *buf, size_t i)
{
	int e = i >= RBI_ESCAPE_LEN ? rbi_escape(buf + i - RBI_ESCAPE_LEN) :
		-1;

	if (e >= 0)
		return rbi_is_word((uint8_t)rbi_tolower((char)e));
	return i && rbi_is_word((uint8_t)rbi_tolower((char)buf[i - 1]));
}

/* Whether needle n goes on at buf[i], its first character read already. */
static bool rbi_needle_rest(const struct rbi_needle *n, const uint8_t *buf,
			    size_t len, size_t i)
{
	uint8_t k;

	for (k = 1; k < n->len; k++) {
		if (i >= len ||
		    rbi_analytics_byte(buf, len, &i) != (uint8_t)n->text[k])
			return false;
	}
	return true;
}

/* The markers of the needles that start at buf[i], which reads as c. */
static uint32_t rbi_analytics_at(const uint8_t *buf, size_t len, size_t i,
				 size_t next, uint8_t c)
{
	const struct rbi_needle *n;
	uint32_t found = 0;
	size_t k;

	if (rbi_is_word(c) && rbi_after_word(buf, i))
		return 0;
	for (k = 0; k < RBI_ARRAY_SIZE(rbi_needles); k++) {
		n = &rbi_needles[k];
		if ((uint8_t)n->text[0] == c &&
		    rbi_needle_rest(n, buf, len, next))
			found |= RBI_MARKER_BIT(n->marker);
	}
	return found;
}

uint32_t rbi_analytics_scan_more(const uint8_t *buf, size_t len, size_t seen)
{
	struct rbi_analytics_plan plan;
	uint32_t found = 0;
	size_t i, next;
	uint8_t c;

	rbi_analytics_plan(&plan);
	/*
	 * A match wholly inside the bytes seen before was found then; one
	 * that the end cut off starts less than a reach before it.
	 */
	seen = RBI_MIN(seen, len);
	i = seen > plan.reach ? seen - plan.reach : 0;
	for (; i < len; i++) {
		next = i;
		c = rbi_analytics_byte(buf, len, &next);
		if (plan.first[c / 32] & (1u << (c % 32)))
			found |= rbi_analytics_at(buf, len, i, next, c);
	}
	return found;
}

size_t rbi_analytics_reach(void)
{
	struct rbi_analytics_plan plan;

	rbi_analytics_plan(&plan);
	/* A word's start looks at the escape before it, too. */
	return plan.reach + RBI_ESCAPE_LEN;
}

uint32_t rbi_analytics_scan(const uint8_t *buf, size_t len)
{
	return rbi_analytics_scan_more(buf, len, 0);
}

const char *rbi_marker_name(enum rbi_marker m)
{
	static const char *const names[__RBI_MARKER_MAX] = {
		[RBI_MARKER_FACE_LIBRARY] = "face-library",
		[RBI_MARKER_FACE_RECOGNITION] = "face-recognition",
		[RBI_MARKER_FACE_DETECTION] = "face-detection",
		[RBI_MARKER_FACE_ATTRIBUTES] = "face-attributes",
		[RBI_MARKER_FACE_EXPRESSION] = "face-expression",
	};

	return (unsigned int)m < __RBI_MARKER_MAX ? names[m] : NULL;
}

enum rbi_marker rbi_marker_from_name(const char *s, size_t len)
{
	const char *name;
	unsigned int m;

	for (m = 0; m < __RBI_MARKER_MAX; m++) {
		name = rbi_marker_name((enum rbi_marker)m);
		if (rbi_strlen(name) == len && !rbi_memcmp(name, s, len))
			return (enum rbi_marker)m;
	}
	return __RBI_MARKER_MAX;
}
