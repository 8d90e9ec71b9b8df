/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Camera-analytics markers: the words that face analytics leave in plain
 * camera traffic (rbi-services.md, table B). A host asking a camera for its
 * face library or face events, or a camera streaming face metadata, is
 * doing biometric identification or categorisation on the camera itself,
 * which no address or name of a cloud service reveals.
 *
 * rbi_analytics_scan() looks for the markers in any bytes: an HTTP request
 * head or body, an RTSP exchange, an event stream. Matching ignores ASCII
 * case and reads %XX escapes as the byte they stand for, so that
 * "/ISAPI/Intelligent/%46DLib" is found too. A marker that is a word must
 * start one: "FaceDetection" after '=', '"', '>', ':' or '/' counts, while
 * "interfaceDetection", "surfaceCapture" and a capability list's
 * "isSupportFaceDetection" do not. It allocates nothing and costs O(len)
 * with a small constant.
 *
 * What a prefix of some bytes holds, the whole holds too, so that a stream
 * can be scanned as it grows: rbi_analytics_scan_more() reads only what
 * new bytes can complete.
 */
#ifndef RBI_ANALYTICS_H
#define RBI_ANALYTICS_H

#include "rbi_compat.h"

enum rbi_marker {
	/* Watch-list enrolment and search (RBI): ISAPI FDLib, faceLibType,
	 * Dahua faceRecognitionServer.cgi. */
	RBI_MARKER_FACE_LIBRARY,
	/* Face-recognition events: ONVIF RuleEngine/Recognition/Face and
	 * its EnrollmentID item, FaceRecognition rules and event codes. */
	RBI_MARKER_FACE_RECOGNITION,
	/* Face detection and capture events: Dahua FaceDetection, ISAPI
	 * faceSnap/faceCapture/facedetection, ONVIF HumanFace objects and
	 * the older class candidate "Face". */
	RBI_MARKER_FACE_DETECTION,
	/* Face attributes (categorisation): the ONVIF humanface schema. */
	RBI_MARKER_FACE_ATTRIBUTES,
	/* Expression (emotion) analysis: ISAPI faceExpression. */
	RBI_MARKER_FACE_EXPRESSION,
	__RBI_MARKER_MAX
};

#define RBI_MARKER_BIT(m)	(1u << (m))
#define RBI_MARKER_ALL		(RBI_MARKER_BIT(__RBI_MARKER_MAX) - 1)

/* The markers found in buf[0..len), as RBI_MARKER_BIT()s; 0 for none. */
uint32_t rbi_analytics_scan(const uint8_t *buf, size_t len);

/*
 * For a stream whose first seen bytes were scanned before and which now
 * holds buf[0..len): the markers that the bytes from seen on complete (and
 * perhaps some found before). ORed together over every step of a stream's
 * growth, the results are rbi_analytics_scan() of the whole.
 */
uint32_t rbi_analytics_scan_more(const uint8_t *buf, size_t len, size_t seen);

/*
 * How far before seen rbi_analytics_scan_more() reads: a caller that drops
 * the start of a stream as it goes keeps this many bytes before seen.
 */
size_t rbi_analytics_reach(void);

/* "face-library", ...; NULL for a value out of range. */
const char *rbi_marker_name(enum rbi_marker m);

/* The marker named s[0..len) (exact, lower case), or __RBI_MARKER_MAX. */
enum rbi_marker rbi_marker_from_name(const char *s, size_t len);

#endif
