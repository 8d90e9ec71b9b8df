// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "rbi_analytics.h"

struct rbi_needle {
	const char *text;	/* lower case */
	uint8_t len;
	uint8_t marker;
};

#define RBI_NEEDLE(s, m) { s, sizeof(s) - 1, m }

/*
 * Specific enough that ordinary camera traffic never carries them; each
 * cites the vendor interface it comes from (rbi-services.md, table B).
 */
static const struct rbi_needle rbi_needles[] = {
	RBI_NEEDLE("/isapi/intelligent/fdlib", RBI_MARKER_FACE_LIBRARY),
	RBI_NEEDLE("facelibtype=blackfd", RBI_MARKER_FACE_LIBRARY),
	RBI_NEEDLE("facelibtype=whitefd", RBI_MARKER_FACE_LIBRARY),
	RBI_NEEDLE("facerecognitionserver.cgi", RBI_MARKER_FACE_LIBRARY),
	RBI_NEEDLE("ruleengine/recognition/face", RBI_MARKER_FACE_RECOGNITION),
	RBI_NEEDLE("facerecognition", RBI_MARKER_FACE_RECOGNITION),
	RBI_NEEDLE("enrollmentid", RBI_MARKER_FACE_RECOGNITION),
	RBI_NEEDLE("facedetection", RBI_MARKER_FACE_DETECTION),
	RBI_NEEDLE("facesnap", RBI_MARKER_FACE_DETECTION),
	RBI_NEEDLE("facecapture", RBI_MARKER_FACE_DETECTION),
	RBI_NEEDLE("humanface", RBI_MARKER_FACE_DETECTION),
	RBI_NEEDLE("onvif.org/ver20/analytics/humanface",
		   RBI_MARKER_FACE_ATTRIBUTES),
	RBI_NEEDLE("faceexpression", RBI_MARKER_FACE_EXPRESSION),
};

static int rbi_hex(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (uint8_t)rbi_tolower((char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/*
 * The byte at buf[*i] as the marker matcher sees it: lower case, with a
 * %XX escape decoded. Steps *i past what it read.
 */
static uint8_t rbi_analytics_byte(const uint8_t *buf, size_t len, size_t *i)
{
	uint8_t c = buf[*i];
	int hi, lo;

	(*i)++;
	if (c == '%' && len - *i >= 2) {
		hi = rbi_hex(buf[*i]);
		lo = rbi_hex(buf[*i + 1]);
		if (hi >= 0 && lo >= 0) {
			c = (uint8_t)(hi << 4 | lo);
			*i += 2;
		}
	}
	return (uint8_t)rbi_tolower((char)c);
}

static bool rbi_needle_at(const struct rbi_needle *n, const uint8_t *buf,
			  size_t len, size_t i)
{
	uint8_t k;

	for (k = 0; k < n->len; k++) {
		if (i >= len || rbi_analytics_byte(buf, len, &i) !=
		    (uint8_t)n->text[k])
			return false;
	}
	return true;
}

uint32_t rbi_analytics_scan(const uint8_t *buf, size_t len)
{
	uint32_t found = 0;
	size_t i, k, next;
	uint8_t c;

	for (i = 0; i < len; i = next) {
		next = i;
		c = rbi_analytics_byte(buf, len, &next);
		/* Every needle starts with '/', 'e', 'f', 'h', 'o' or 'r'. */
		if (c != '/' && c != 'e' && c != 'f' && c != 'h' && c != 'o' &&
		    c != 'r')
			continue;
		for (k = 0; k < RBI_ARRAY_SIZE(rbi_needles); k++)
			if ((uint8_t)rbi_needles[k].text[0] == c &&
			    rbi_needle_at(&rbi_needles[k], buf, len, i))
				found |= RBI_MARKER_BIT(rbi_needles[k].marker);
	}
	return found;
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
