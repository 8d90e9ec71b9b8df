// SPDX-License-Identifier: GPL-2.0 OR MIT

// Command interop checks rbiblock's audit log with an independent
// implementation: golang.org/x/mod/sumdb/note (C2SP signed notes) and
// golang.org/x/mod/sumdb/tlog (RFC 6962 hashing and proofs). Test-only.
//
//	interop checkpoints VKEY EPOCHDIR   every checkpoint: signature, root
//	interop proof VKEY PROOF            a c2sp.org/tlog-proof@v1 file
//	interop consistency VKEY OLD NEW P  a consistency proof (base64 lines)
//	interop sign KEY CHECKPOINT         re-sign with Go: same bytes?
package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type checkpoint struct {
	origin string
	size   int64
	root   tlog.Hash
}

func die(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "interop: "+format+"\n", args...)
	os.Exit(1)
}

func readFile(path string) []byte {
	b, err := os.ReadFile(path)
	if err != nil {
		die("%v", err)
	}
	return b
}

func verifiers(vkeyFile string) note.Verifiers {
	v, err := note.NewVerifier(strings.TrimSpace(string(readFile(vkeyFile))))
	if err != nil {
		die("verifier key: %v", err)
	}
	return note.VerifierList(v)
}

// open verifies a signed checkpoint and parses its C2SP body (tlog's own
// ParseTree wants the go.sum database header, so the body is read here).
func open(msg []byte, vs note.Verifiers) checkpoint {
	n, err := note.Open(msg, vs)
	if err != nil {
		die("note.Open: %v", err)
	}
	lines := strings.Split(n.Text, "\n")
	if len(lines) < 4 {
		die("checkpoint body too short")
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 {
		die("checkpoint size %q", lines[1])
	}
	root, err := tlog.ParseHash(lines[2])
	if err != nil {
		die("checkpoint root: %v", err)
	}
	return checkpoint{lines[0], size, root}
}

// leaves reads every record of an epoch's segments, in order.
func leaves(dir string) [][]byte {
	segs, _ := filepath.Glob(filepath.Join(dir, "seg-*.jsonl"))
	sort.Strings(segs)
	var out [][]byte
	for _, s := range segs {
		for _, l := range bytes.SplitAfter(readFile(s), []byte("\n")) {
			if len(l) > 0 && l[len(l)-1] == '\n' {
				out = append(out, l[:len(l)-1])
			}
		}
	}
	return out
}

type hashStore []tlog.Hash

func (h hashStore) ReadHashes(idx []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(idx))
	for i, x := range idx {
		out[i] = h[x]
	}
	return out, nil
}

func store(recs [][]byte) hashStore {
	var h hashStore
	for i, r := range recs {
		hs, err := tlog.StoredHashes(int64(i), r, h)
		if err != nil {
			die("StoredHashes: %v", err)
		}
		h = append(h, hs...)
	}
	return h
}

func checkpoints(vkey, dir string) {
	vs := verifiers(vkey)
	h := store(leaves(dir))
	// The history is signed notes, each followed by an empty line.
	count := 0
	var entry []byte
	blanks := 0
	for _, l := range bytes.SplitAfter(readFile(filepath.Join(dir, "checkpoints")), []byte("\n")) {
		if len(l) == 1 && l[0] == '\n' {
			if blanks++; blanks == 2 {
				checkOne(entry, vs, h)
				count++
				entry, blanks = nil, 0
				continue
			}
		}
		entry = append(entry, l...)
	}
	latest := open(readFile(filepath.Join(dir, "checkpoint")), vs)
	fmt.Printf("ok: %d checkpoints of %s verified by Go, latest size %d\n", count, latest.origin, latest.size)
}

func checkOne(entry []byte, vs note.Verifiers, h hashStore) {
	cp := open(entry, vs)
	root, err := tlog.TreeHash(cp.size, h)
	if err != nil {
		die("TreeHash(%d): %v", cp.size, err)
	}
	if root != cp.root {
		die("checkpoint size %d: tlog root %v, signed %v", cp.size, root, cp.root)
	}
}

func proof(vkey, file string) {
	vs := verifiers(vkey)
	data := readFile(file)
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var extra []byte
	var index int64 = -1
	var p tlog.RecordProof
	off := 0
	line := func() string {
		if !sc.Scan() {
			die("truncated proof")
		}
		off += len(sc.Bytes()) + 1
		return sc.Text()
	}
	if line() != "c2sp.org/tlog-proof@v1" {
		die("not a tlog-proof")
	}
	l := line()
	if strings.HasPrefix(l, "extra ") {
		var err error
		if extra, err = base64.StdEncoding.DecodeString(l[6:]); err != nil {
			die("extra: %v", err)
		}
		l = line()
	}
	if _, err := fmt.Sscanf(l, "index %d", &index); err != nil {
		die("index line %q", l)
	}
	for l = line(); l != ""; l = line() {
		h, err := tlog.ParseHash(l)
		if err != nil {
			die("proof hash: %v", err)
		}
		p = append(p, h)
	}
	cp := open(data[off:], vs)
	if err := tlog.CheckRecord(p, cp.size, cp.root, index, tlog.RecordHash(extra)); err != nil {
		die("CheckRecord: %v", err)
	}
	fmt.Printf("ok: record %d in %s size %d verified by Go\n", index, cp.origin, cp.size)
}

func consistency(vkey, oldFile, newFile, proofFile string) {
	vs := verifiers(vkey)
	old := open(readFile(oldFile), vs)
	cur := open(readFile(newFile), vs)
	var p tlog.TreeProof
	for _, l := range strings.Fields(string(readFile(proofFile))) {
		h, err := tlog.ParseHash(l)
		if err != nil {
			die("proof hash: %v", err)
		}
		p = append(p, h)
	}
	if err := tlog.CheckTree(p, cur.size, cur.root, old.size, old.root); err != nil {
		die("CheckTree(%d -> %d): %v", old.size, cur.size, err)
	}
	fmt.Printf("ok: size %d is consistent with %d, verified by Go\n", old.size, cur.size)
}

func sign(keyFile, cpFile string) {
	s, err := note.NewSigner(strings.TrimSpace(string(readFile(keyFile))))
	if err != nil {
		die("NewSigner: %v", err)
	}
	msg := readFile(cpFile)
	text := msg[:bytes.LastIndex(msg, []byte("\n\n"))+1]
	out, err := note.Sign(&note.Note{Text: string(text)}, s)
	if err != nil {
		die("Sign: %v", err)
	}
	if !bytes.Equal(out, msg) {
		die("Go's signature differs:\n%s\nrbiblock's:\n%s", out, msg)
	}
	fmt.Println("ok: Go signs the checkpoint to the same bytes")
}

func main() {
	a := os.Args
	switch {
	case len(a) == 4 && a[1] == "checkpoints":
		checkpoints(a[2], a[3])
	case len(a) == 4 && a[1] == "proof":
		proof(a[2], a[3])
	case len(a) == 6 && a[1] == "consistency":
		consistency(a[2], a[3], a[4], a[5])
	case len(a) == 4 && a[1] == "sign":
		sign(a[2], a[3])
	default:
		die("usage: see the comment at the top of main.go")
	}
}
