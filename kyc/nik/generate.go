package nik

// The region table is generated from the project's shared data and committed, so the binary
// never needs ../shared at run time. TestEmbeddedTableIsCurrent fails when it goes stale.
//go:generate go run ./internal/gen -in ../../../shared/data/kode-wilayah-kecamatan.csv -out wilayah.tsv.gz
