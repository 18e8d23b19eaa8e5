// Package nik parses and checks the Indonesian NIK (Nomor Induk Kependudukan), the 16-digit
// national identity number printed on the eKTP, before anything is sent to the gateway.
//
// # Structure
//
//	PP RR KK DDMMYY SSSS     e.g. 36 71 12 140101 0004
//
// The parts are:
//
//   - PP, RR, KK: province, regency/city (kabupaten/kota) and district (kecamatan) codes of the
//     place where the NIK was first registered. A NIK is for life: a person who moves keeps it,
//     and the codes of regions that were split or renamed later are no longer in the current
//     list. So an unknown regency or district is only a warning; an unknown province is an error.
//   - DDMMYY: date of birth; for women 40 is added to the day (a woman born on the 5th has 45),
//     so days 01–31 are men's and 41–71 women's. The year has two digits; this package picks the
//     most recent century that does not put the birth in the future, so every NIK maps to an age
//     of 0–99 years relative to the reference time (see ParseAt).
//   - SSSS: serial number among people registered in the same district with the same DDMMYY,
//     starting at 0001.
//
// Sources: Undang-Undang No 23 Tahun 2006 tentang Administrasi Kependudukan, Article 13, as
// amended by Undang-Undang No 24 Tahun 2013 (every resident has one lifelong NIK); the structure
// as published by the Directorate General of Population and Civil Registration (Dukcapil,
// Kemendagri), e.g. its 2023 public explanation by Director General Teguh Setyabudi and the
// district offices' pages ("Arti 16 digit NIK").
//
// # Region table
//
// Region names come from Kepmendagri No 300.2.2-2138 Tahun 2025 (38 provinces, 514
// regencies/cities, 7,285 districts), extracted from db/wilayah.sql of the MIT-licensed
// cahyadsn/wilayah repository (https://github.com/cahyadsn/wilayah). The table is generated from
// the project's shared CSV by `go generate` (see generate.go) and embedded in the binary as
// wilayah.tsv.gz, so nothing is read from disk at run time. The licence notice is in NOTICE.
//
// # Personal data
//
// A NIK is personal data. Errors and findings from this package never contain the NIK or any
// part of it, and NIK.String masks the number (see Mask) so that a stray %v in a log line does
// not leak it.
package nik
