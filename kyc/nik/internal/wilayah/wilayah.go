// Package wilayah reads Indonesia's administrative region codes (kode wilayah) from the CSV
// extract kept in the project's shared data, and writes and reads the compact table that
// package nik embeds. The generator and the reader share this one codec so they cannot drift.
//
// Source: Kepmendagri No 300.2.2-2138 Tahun 2025, as extracted from db/wilayah.sql of the
// MIT-licensed cahyadsn/wilayah repository (https://github.com/cahyadsn/wilayah).
package wilayah

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Entry is one region: a province (2-digit code), a regency or city (4 digits) or a
// district (6 digits). Codes carry no dots: "36", "3671", "367112".
type Entry struct {
	Code string
	Name string
}

// Level names how deep a code is.
func Level(code string) int { return len(code) / 2 }

// header lines are written as '#' comments at the top of the table so that the provenance
// travels with the data even when the file is copied out of the repository.
var header = []string{
	"# Indonesian region codes (kode wilayah) to district level: code<TAB>name.",
	"# Source: Kepmendagri No 300.2.2-2138 Tahun 2025, extracted from db/wilayah.sql of",
	"# https://github.com/cahyadsn/wilayah (MIT licence, (c) 2017 Cahya DSN; see kyc/nik/NOTICE).",
}

// ReadCSV parses the shared CSV ("code,name" header; codes PP, PP.RR, PP.RR.KK) and checks
// that it is a well-formed tree: every code is two, four or six digits, no code repeats, and
// every regency and district has its parent. Names are trimmed, and the doubled apostrophes
// left over from SQL quoting ("Ma”u") are undone.
func ReadCSV(r io.Reader) ([]Entry, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = 2
	rows, err := cr.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("wilayah: reading CSV: %w", err)
	}
	if len(rows) == 0 || rows[0][0] != "code" || rows[0][1] != "name" {
		return nil, errors.New(`wilayah: CSV must start with the header "code,name"`)
	}
	entries := make([]Entry, 0, len(rows)-1)
	for i, row := range rows[1:] {
		code := strings.ReplaceAll(strings.TrimSpace(row[0]), ".", "")
		name := cleanName(row[1])
		if !validCode(code) {
			return nil, fmt.Errorf("wilayah: CSV line %d: bad code %q", i+2, row[0])
		}
		if name == "" {
			return nil, fmt.Errorf("wilayah: CSV line %d: empty name for %s", i+2, row[0])
		}
		entries = append(entries, Entry{Code: code, Name: name})
	}
	return entries, check(entries)
}

// cleanName undoes SQL quoting and collapses runs of white space.
func cleanName(s string) string {
	s = strings.ReplaceAll(s, "''", "'")
	return strings.Join(strings.Fields(s), " ")
}

func validCode(code string) bool {
	if len(code) != 2 && len(code) != 4 && len(code) != 6 {
		return false
	}
	for i := 0; i < len(code); i++ {
		if code[i] < '0' || code[i] > '9' {
			return false
		}
	}
	return true
}

// check verifies codes, names, uniqueness and parentage.
func check(entries []Entry) error {
	seen := make(map[string]bool, len(entries))
	for _, e := range entries {
		if !validCode(e.Code) {
			return fmt.Errorf("wilayah: bad code %q", e.Code)
		}
		if seen[e.Code] {
			return fmt.Errorf("wilayah: duplicate code %s", e.Code)
		}
		seen[e.Code] = true
	}
	for _, e := range entries {
		if len(e.Code) > 2 && !seen[e.Code[:len(e.Code)-2]] {
			return fmt.Errorf("wilayah: code %s has no parent", e.Code)
		}
		if strings.ContainsAny(e.Name, "\t\n\r") {
			return fmt.Errorf("wilayah: name of %s contains a control character", e.Code)
		}
	}
	return nil
}

// Write writes entries as the compact table: gzip'd text, comment header, then one
// "code<TAB>name" line per entry sorted by code. The gzip header carries no name or time,
// so the same input always gives the same bytes and regenerating is a no-op in git.
func Write(w io.Writer, entries []Entry) error {
	if err := check(entries); err != nil {
		return err
	}
	sorted := slices.Clone(entries)
	slices.SortFunc(sorted, func(a, b Entry) int { return strings.Compare(a.Code, b.Code) })

	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(zw)
	for _, h := range header {
		bw.WriteString(h)
		bw.WriteByte('\n')
	}
	for _, e := range sorted {
		bw.WriteString(e.Code)
		bw.WriteByte('\t')
		bw.WriteString(e.Name)
		bw.WriteByte('\n')
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return zw.Close()
}

// Read reads a table written by Write.
func Read(r io.Reader) ([]Entry, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("wilayah: table: %w", err)
	}
	defer zr.Close()
	var entries []Entry
	sc := bufio.NewScanner(zr)
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if text == "" || text[0] == '#' {
			continue
		}
		code, name, ok := strings.Cut(text, "\t")
		if !ok || !validCode(code) || name == "" {
			return nil, fmt.Errorf("wilayah: table line %d is malformed", line)
		}
		entries = append(entries, Entry{Code: code, Name: name})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("wilayah: table: %w", err)
	}
	if len(entries) == 0 {
		return nil, errors.New("wilayah: table is empty")
	}
	return entries, check(entries)
}
