// Command gen converts the shared region-code CSV into the compact table that package nik
// embeds (see kyc/nik/generate.go). Run it with `go generate ./kyc/nik/` from a checkout that
// has ../shared beside the repository; commit the output, because the binary must not need
// the CSV at run time.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"

	"kycdesk/kyc/nik/internal/wilayah"
)

func main() {
	in := flag.String("in", "", "region-code CSV (code,name)")
	out := flag.String("out", "", "compact table to write")
	flag.Parse()
	if *in == "" || *out == "" {
		fmt.Fprintln(os.Stderr, "usage: gen -in kode-wilayah-kecamatan.csv -out wilayah.tsv.gz")
		os.Exit(2)
	}
	if err := run(*in, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(in, out string) error {
	f, err := os.Open(in)
	if err != nil {
		return err
	}
	defer f.Close()
	entries, err := wilayah.ReadCSV(f)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := wilayah.Write(&buf, entries); err != nil {
		return err
	}
	// Write the whole file at once so a failed run never leaves a truncated table behind.
	return os.WriteFile(out, buf.Bytes(), 0o644)
}
