package sandbox

import "strings"

// Person is one invented specimen in the sandbox's civil registry. Every
// field is written the way an eKTP prints it (uppercase). The people are
// fictitious: their names carry the words CONTOH, SAMPEL or PERAGA
// ("example", "sample", "demonstration") so a screenshot can never be
// mistaken for a real customer's data.
type Person struct {
	NIK           string // 16 digits: district code, birth date (day+40 for women), serial
	Name          string // nama
	BirthPlace    string // tempat_lahir
	BirthDate     string // tanggal_lahir, DD-MM-YYYY
	Sex           string // jenis_kelamin: LAKI-LAKI or PEREMPUAN
	BloodType     string // gol_darah
	Address       string // alamat (street part only)
	RTRW          string // rt/rw
	Village       string // kelurahan/desa
	District      string // kecamatan
	Religion      string // agama
	MaritalStatus string // status_perkawinan
	Occupation    string // pekerjaan
	Citizenship   string // kewarganegaraan
	Province      string // provinsi
	City          string // kota (regency or city)

	// FaceMismatch marks a person whose registry photo resembles nobody:
	// every selfie validated against this NIK gets a failing score, so a
	// trainee can see what a face mismatch looks like.
	FaceMismatch bool
}

// Fields returns the person as the gateway's id-recognize answer reports
// it: the 16 OCR keys, in the gateway's spelling (rt/rw, kelurahan/desa).
func (p Person) Fields() map[string]string {
	return map[string]string{
		"nik":               p.NIK,
		"nama":              p.Name,
		"tempat_lahir":      p.BirthPlace,
		"tanggal_lahir":     p.BirthDate,
		"jenis_kelamin":     p.Sex,
		"gol_darah":         p.BloodType,
		"alamat":            p.Address,
		"rt/rw":             p.RTRW,
		"kelurahan/desa":    p.Village,
		"kecamatan":         p.District,
		"agama":             p.Religion,
		"status_perkawinan": p.MaritalStatus,
		"pekerjaan":         p.Occupation,
		"kewarganegaraan":   p.Citizenship,
		"provinsi":          p.Province,
		"kota":              p.City,
	}
}

// OCRKeys lists the 16 keys of an id-recognize answer in card order.
var OCRKeys = []string{
	"nik", "nama", "tempat_lahir", "tanggal_lahir", "jenis_kelamin", "gol_darah",
	"alamat", "rt/rw", "kelurahan/desa", "kecamatan", "agama", "status_perkawinan",
	"pekerjaan", "kewarganegaraan", "provinsi", "kota",
}

// Region names below are those of kode-wilayah-kecamatan.csv (Kepmendagri
// No 300.2.2-2138 Tahun 2025, via the MIT-licensed cahyadsn/wilayah
// repository), uppercased, so a NIK/OCR consistency check built on the same
// table finds no disagreement.
const (
	provDKI     = "DAERAH KHUSUS IBUKOTA JAKARTA"
	provJabar   = "JAWA BARAT"
	provJateng  = "JAWA TENGAH"
	provDIY     = "DAERAH ISTIMEWA YOGYAKARTA"
	provJatim   = "JAWA TIMUR"
	provBanten  = "BANTEN"
	provBali    = "BALI"
	provSumut   = "SUMATERA UTARA"
	provSumbar  = "SUMATERA BARAT"
	provSumsel  = "SUMATERA SELATAN"
	provLampung = "LAMPUNG"
	provNTB     = "NUSA TENGGARA BARAT"
	provSulsel  = "SULAWESI SELATAN"
	provKaltim  = "KALIMANTAN TIMUR"
	provSulut   = "SULAWESI UTARA"
	provKalbar  = "KALIMANTAN BARAT"
	provKalsel  = "KALIMANTAN SELATAN"
)

// specimens is the registry. It deliberately covers the edge cases a NIK
// parser must get right: women (day+40) including day 31 (71) and 29
// February (69), births in the 1950s and the 2000s, every religion and
// marital status an eKTP prints, and an unknown blood type ("-").
var specimens = []Person{
	{"3174011708850001", "BUDI CONTOH SANTOSO", "JAKARTA", "17-08-1985", "LAKI-LAKI", "A", "JL. CONTOH RAYA NO. 17", "005/002", "TEBET TIMUR", "TEBET", "ISLAM", "KAWIN", "KARYAWAN SWASTA", "WNI", provDKI, "KOTA ADMINISTRASI JAKARTA SELATAN", false},
	{"3175064302920002", "SITI CONTOH RAHAYU", "JAKARTA", "03-02-1992", "PEREMPUAN", "O", "JL. PERAGA II NO. 8", "011/004", "CAKUNG BARAT", "CAKUNG", "ISLAM", "BELUM KAWIN", "KARYAWAN SWASTA", "WNI", provDKI, "KOTA ADMINISTRASI JAKARTA TIMUR", false},
	{"3273026902960003", "DEWI SAMPEL LESTARI", "BANDUNG", "29-02-1996", "PEREMPUAN", "B", "JL. CONTOH DAGO NO. 45", "002/007", "DAGO", "COBLONG", "ISLAM", "KAWIN", "GURU", "WNI", provJabar, "KOTA BANDUNG", false},
	{"3204051211780004", "ASEP CONTOH HIDAYAT", "BANDUNG", "12-11-1978", "LAKI-LAKI", "O", "KP. SAMPEL RT 03 NO. 21", "003/010", "CIBIRU WETAN", "CILEUNYI", "ISLAM", "KAWIN", "WIRASWASTA", "WNI", provJabar, "KABUPATEN BANDUNG", false},
	{"3374010506690005", "YOHANES PERAGA WIBOWO", "SEMARANG", "05-06-1969", "LAKI-LAKI", "AB", "JL. CONTOH PEMUDA NO. 3", "001/001", "PEKUNDEN", "SEMARANG TENGAH", "KATOLIK", "KAWIN", "PEGAWAI NEGERI SIPIL", "WNI", provJateng, "KOTA SEMARANG", false},
	{"3471036109010006", "RATNA CONTOH WULANDARI", "YOGYAKARTA", "21-09-2001", "PEREMPUAN", "A", "JL. SAMPEL KOTABARU NO. 9", "004/001", "KOTABARU", "GONDOKUSUMAN", "ISLAM", "BELUM KAWIN", "PELAJAR/MAHASISWA", "WNI", provDIY, "KOTA YOGYAKARTA", false},
	{"3578053012750007", "AGUS SAMPEL PRASETYO", "SURABAYA", "30-12-1975", "LAKI-LAKI", "B", "JL. CONTOH KEDUNGDORO NO. 112", "006/003", "KEDUNGDORO", "TEGALSARI", "ISLAM", "CERAI HIDUP", "PEDAGANG", "WNI", provJatim, "KOTA SURABAYA", true},
	{"3671055404880008", "LINDA CONTOH TAN", "TANGERANG", "14-04-1988", "PEREMPUAN", "O", "PERUM SAMPEL INDAH BLOK C2 NO. 5", "003/008", "CIPONDOH INDAH", "CIPONDOH", "KRISTEN", "KAWIN", "KARYAWAN SWASTA", "WNI", provBanten, "KOTA TANGERANG", false},
	{"5171010803820009", "I KETUT CONTOH WIRAWAN", "DENPASAR", "08-03-1982", "LAKI-LAKI", "A", "JL. DANAU SAMPEL NO. 27", "000/000", "SANUR", "DENPASAR SELATAN", "HINDU", "KAWIN", "WIRASWASTA", "WNI", provBali, "KOTA DENPASAR", false},
	{"5171027107900010", "NI LUH SAMPEL ARYANI", "GIANYAR", "31-07-1990", "PEREMPUAN", "B", "JL. CONTOH KESIMAN GG. III NO. 4", "000/000", "KESIMAN", "DENPASAR TIMUR", "HINDU", "KAWIN", "PEDAGANG", "WNI", provBali, "KOTA DENPASAR", false},
	{"1271171901600011", "ROBERT CONTOH SIMANJUNTAK", "MEDAN", "19-01-1960", "LAKI-LAKI", "O", "JL. SAMPEL JAMIN GINTING NO. 88", "000/000", "PADANG BULAN", "MEDAN BARU", "KRISTEN", "CERAI MATI", "PENSIUNAN", "WNI", provSumut, "KOTA MEDAN", false},
	{"1271015010990012", "MEI LING SAMPEL", "MEDAN", "10-10-1999", "PEREMPUAN", "AB", "JL. CONTOH TELADAN NO. 6", "000/000", "TELADAN BARAT", "MEDAN KOTA", "BUDDHA", "BELUM KAWIN", "KARYAWAN SWASTA", "WNI", provSumut, "KOTA MEDAN", false},
	{"7371090909830021", "ANDI CONTOH RAHMAN", "MAKASSAR", "09-09-1983", "LAKI-LAKI", "A", "JL. SAMPEL PENGAYOMAN NO. 14", "002/005", "PANDANG", "PANAKKUKANG", "ISLAM", "KAWIN", "PEGAWAI NEGERI SIPIL", "WNI", provSulsel, "KOTA MAKASSAR", false},
	{"1671070205040014", "HENDRA CONTOH SAPUTRA", "PALEMBANG", "02-05-2004", "LAKI-LAKI", "A", "JL. PERAGA SUKARAMI NO. 30", "012/004", "SUKARAMI", "SUKARAMI", "ISLAM", "BELUM KAWIN", "PELAJAR/MAHASISWA", "WNI", provSumsel, "KOTA PALEMBANG", false},
	{"1871016512550015", "SRI SAMPEL HANDAYANI", "METRO", "25-12-1955", "PEREMPUAN", "-", "JL. CONTOH KEDATON NO. 2", "001/002", "KEDATON", "KEDATON", "ISLAM", "CERAI MATI", "MENGURUS RUMAH TANGGA", "WNI", provLampung, "KOTA BANDAR LAMPUNG", false},
	{"5271011111700016", "LALU CONTOH ZAINUDDIN", "MATARAM", "11-11-1970", "LAKI-LAKI", "O", "JL. SAMPEL PANTAI NO. 11", "000/000", "AMPENAN SELATAN", "AMPENAN", "ISLAM", "KAWIN", "NELAYAN/PERIKANAN", "WNI", provNTB, "KOTA MATARAM", false},
	{"3372010101500017", "SLAMET PERAGA RIYADI", "SURAKARTA", "01-01-1950", "LAKI-LAKI", "B", "JL. CONTOH LAWEYAN NO. 50", "002/001", "LAWEYAN", "LAWEYAN", "ISLAM", "KAWIN", "PENSIUNAN", "WNI", provJateng, "KOTA SURAKARTA", false},
	{"3275014707940018", "NUR SAMPEL AINI", "BEKASI", "07-07-1994", "PEREMPUAN", "A", "PERUM CONTOH ASRI BLOK A NO. 7", "004/011", "ARENJAYA", "BEKASI TIMUR", "ISLAM", "KAWIN", "KARYAWAN SWASTA", "WNI", provJabar, "KOTA BEKASI", false},
	{"1371032308980019", "RIZKY CONTOH PRATAMA", "PADANG", "23-08-1998", "LAKI-LAKI", "B", "JL. SAMPEL BELAKANG TANGSI NO. 19", "001/003", "BELAKANG TANGSI", "PADANG BARAT", "ISLAM", "BELUM KAWIN", "WIRASWASTA", "WNI", provSumbar, "KOTA PADANG", false},
	{"3507131602870020", "WAHYU SAMPEL NUGROHO", "MALANG", "16-02-1987", "LAKI-LAKI", "O", "DSN. CONTOH RT 02 RW 05", "002/005", "KEPANJEN", "KEPANJEN", "ISLAM", "KAWIN", "PETANI/PEKEBUN", "WNI", provJatim, "KABUPATEN MALANG", false},
	{"6472035505910022", "FITRI SAMPEL ANGGRAINI", "BALIKPAPAN", "15-05-1991", "PEREMPUAN", "O", "JL. CONTOH AIR PUTIH NO. 22", "015/000", "AIR PUTIH", "SAMARINDA ULU", "ISLAM", "BELUM KAWIN", "KARYAWAN BUMN", "WNI", provKaltim, "KOTA SAMARINDA", false},
	{"7171066811860023", "GRACE CONTOH WOWOR", "MANADO", "28-11-1986", "PEREMPUAN", "A", "JL. SAMPEL SARIO NO. 23", "003/000", "SARIO", "SARIO", "KRISTEN", "KAWIN", "DOKTER", "WNI", provSulut, "KOTA MANADO", false},
	{"6171010404790024", "KEVIN SAMPEL WIJAYA", "PONTIANAK", "04-04-1979", "LAKI-LAKI", "B", "JL. CONTOH GAJAH MADA NO. 24", "002/008", "BENUA MELAYU DARAT", "PONTIANAK SELATAN", "KONGHUCU", "KAWIN", "WIRASWASTA", "WNI", provKalbar, "KOTA PONTIANAK", false},
	{"6371052006080025", "MUHAMMAD CONTOH NOOR", "BANJARMASIN", "20-06-2008", "LAKI-LAKI", "-", "JL. SAMPEL KERTAK BARU NO. 25", "009/001", "KERTAK BARU ILIR", "BANJARMASIN TENGAH", "ISLAM", "BELUM KAWIN", "PELAJAR/MAHASISWA", "WNI", provKalsel, "KOTA BANJARMASIN", false},
	// The person on the sample card the app offers on the Sandbox profile
	// (specimen.Default, resources/samples): the card and the answer agree.
	{"3174015408900001", "SITI CONTOH SPESIMEN", "JAKARTA", "14-08-1990", "PEREMPUAN", "O", "JL. CONTOH RAYA NO. 123", "001/002", "TEBET BARAT", "TEBET", "ISLAM", "BELUM KAWIN", "KARYAWAN SWASTA", "WNI", provDKI, "KOTA ADMINISTRASI JAKARTA SELATAN", false},
}

// registryByNIK indexes specimens for validation lookups.
var registryByNIK = func() map[string]*Person {
	m := make(map[string]*Person, len(specimens))
	for i := range specimens {
		m[specimens[i].NIK] = &specimens[i]
	}
	return m
}()

// Specimens returns a copy of the sandbox registry, for demos, training
// material and tests. Changing the copy does not change the sandbox.
func Specimens() []Person {
	out := make([]Person, len(specimens))
	copy(out, specimens)
	return out
}

// LookupNIK returns the specimen with that NIK, if any.
func LookupNIK(nik string) (Person, bool) {
	p, ok := registryByNIK[strings.TrimSpace(nik)]
	if !ok {
		return Person{}, false
	}
	return *p, true
}
