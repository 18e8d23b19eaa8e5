package nik

import (
	"bytes"
	"testing"

	"kycdesk/kyc/nik/internal/wilayah"
)

func BenchmarkParse(b *testing.B) {
	regionNames() // decode the table outside the timed loop
	for b.Loop() {
		if _, err := ParseAt("3671121401010004", refNow); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeTable is the one-time cost of the first NIK looked at in a process.
func BenchmarkDecodeTable(b *testing.B) {
	for b.Loop() {
		if _, err := wilayah.Read(bytes.NewReader(wilayahTable)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkConsistency(b *testing.B) {
	ocr := specOCR()
	regionNames()
	for b.Loop() {
		consistencyAt("3671121401010004", ocr, refNow)
	}
}
