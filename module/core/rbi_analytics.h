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
 * "/ISAPI/Intelligent/%46DLib" is found too. It allocates nothing and
 * costs O(len) with a small constant.
 */
#ifndef RBI_ANALYTICS_H
#define RBI_ANALYTICS_H

#include "rbi_compat.h"

enum rbi_marker {
	/* Watch-list enrolment and search (RBI): ISAPI FDLib, Dahua
	 * faceRecognitionServer.cgi, faceLibType=blackFD/whiteFD. */
	RBI_MARKER_FACE_LIBRARY,
	/* Face-recognition events: ONVIF RuleEngine/Recognition/Face,
	 * Dahua FaceRecognition, EnrollmentID. */
	RBI_MARKER_FACE_RECOGNITION,
	/* Face detection and capture events: Dahua FaceDetection, ISAPI
	 * faceSnap/faceCapture/facedetection, ONVIF HumanFace objects. */
	RBI_MARKER_FACE_DETECTION,
	/* Face attributes (categorisation): the ONVIF humanface schema. */
	RBI_MARKER_FACE_ATTRIBUTES,
	/* Expression (emotion) analysis: ISAPI faceExpression. */
	RBI_MARKER_FACE_EXPRESSION,
	__RBI_MARKER_MAX
};

#define RBI_MARKER_BIT(m)	(1u << (m))

/* The markers found in buf[0..len), as RBI_MARKER_BIT()s; 0 for none. */
uint32_t rbi_analytics_scan(const uint8_t *buf, size_t len);

const char *rbi_marker_name(enum rbi_marker m);

#endif
