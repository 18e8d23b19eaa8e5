package vault

import "fmt"

type message struct{ en, id string }

// messages say what to do next, in the clerk's language. The Linux texts name
// the concrete fixes because a missing or locked Secret Service is the most
// common failure on counter PCs running a minimal desktop.
var messages = map[Code]message{
	CodeUnavailable: {
		en: "no system keyring is available. On Linux install and start a Secret Service " +
			"(gnome-keyring or KeePassXC with Secret Service enabled) inside a desktop session; " +
			"headless, run under `dbus-run-session` with gnome-keyring-daemon unlocked. " +
			"For scripts, set KYCDESK_TOKEN instead",
		id: "keyring sistem tidak tersedia. Di Linux pasang dan jalankan Secret Service " +
			"(gnome-keyring atau KeePassXC dengan Secret Service aktif) di sesi desktop; " +
			"tanpa desktop, jalankan di bawah `dbus-run-session` dengan gnome-keyring-daemon yang sudah dibuka. " +
			"Untuk skrip, gunakan KYCDESK_TOKEN",
	},
	CodeLocked: {
		en: "the keyring is locked. Unlock it (log in to the desktop again, or open " +
			"Passwords and Keys / KeePassXC / Keychain Access and unlock it), then try again",
		id: "keyring terkunci. Buka kuncinya (masuk ulang ke desktop, atau buka " +
			"Passwords and Keys / KeePassXC / Keychain Access lalu buka kunci), lalu coba lagi",
	},
	CodeAccessDenied: {
		en: "the system refused access to the keyring (the prompt was cancelled or a policy forbids it). " +
			"Allow KYC Desk when asked, or ask IT",
		id: "sistem menolak akses ke keyring (permintaan dibatalkan atau dilarang kebijakan). " +
			"Izinkan KYC Desk saat diminta, atau hubungi IT",
	},
	CodeTimeout: {
		en: "the keyring did not answer in time; an unlock prompt may be waiting on screen. " +
			"Answer it, then try again",
		id: "keyring tidak menjawab tepat waktu; mungkin ada jendela buka kunci yang menunggu di layar. " +
			"Jawab jendela itu, lalu coba lagi",
	},
	CodeSyncPasswordMissing: {
		en: "no head office password is stored for this counter's profile. Store the one IT gave with " +
			"`kycdesk sync password --profile {profile}` (scripts: KYCDESK_SYNC_PASSWORD)",
		id: "belum ada kata sandi kantor pusat untuk profil kasir ini. Simpan kata sandi dari IT dengan " +
			"`kycdesk sync password --profile {profile}` (skrip: KYCDESK_SYNC_PASSWORD)",
	},
	CodeHeadOfficePasswordMissing: {
		en: "no head office login password is stored for this profile. Store it with " +
			"`kycdesk hq password --profile {profile}` (scripts: KYCDESK_HQ_PASSWORD)",
		id: "belum ada kata sandi login kantor pusat untuk profil ini. Simpan dengan " +
			"`kycdesk hq password --profile {profile}` (skrip: KYCDESK_HQ_PASSWORD)",
	},
	CodeNotFound: {
		en: "no token is stored for this profile. Set one in Settings, or with `kycdesk token set --profile {profile}`",
		id: "belum ada token untuk profil ini. Simpan di Pengaturan, atau dengan `kycdesk token set --profile {profile}`",
	},
	CodeTokenTooLong: {
		en: fmt.Sprintf("the token is longer than %d bytes, which the Windows Credential Manager cannot store; "+
			"check that you pasted only the token", MaxTokenBytes),
		id: fmt.Sprintf("token lebih panjang dari %d byte, batas Windows Credential Manager; "+
			"pastikan hanya token yang ditempel", MaxTokenBytes),
	},
	CodeTokenTooShort: {
		en: fmt.Sprintf("the token is shorter than %d characters, so it cannot be a merchant token from the WideKYC portal; "+
			"paste the whole token", MinTokenBytes),
		id: fmt.Sprintf("token lebih pendek dari %d karakter, jadi bukan token merchant dari portal WideKYC; "+
			"tempel token selengkapnya", MinTokenBytes),
	},
	CodeTokenEmpty: {
		en: "the token is empty; paste the token from the merchant portal",
		id: "token kosong; tempel token dari portal merchant",
	},
	CodeTokenInvalid: {
		en: "the token contains spaces or control characters; paste only the token",
		id: "token berisi spasi atau karakter kontrol; tempel hanya tokennya",
	},
	CodeKeyring: {
		en: "the keyring reported an error; try again, or ask IT to check the system keyring",
		id: "keyring melaporkan kesalahan; coba lagi, atau minta IT memeriksa keyring sistem",
	},
	CodeProfileNotFound: {
		en: "no profile has this name",
		id: "tidak ada profil dengan nama ini",
	},
	CodeProfileReadOnly: {
		en: "this profile is built in or managed by IT and cannot be changed here; choose another name",
		id: "profil ini bawaan atau dikelola IT dan tidak dapat diubah di sini; pilih nama lain",
	},
	CodeProfileInvalid: {
		en: "the profile is not valid: it needs a name and an http(s) server URL",
		id: "profil tidak valid: perlu nama dan URL server http(s)",
	},
	CodeSandbox: {
		en: "the Sandbox profile needs no token",
		id: "profil Sandbox tidak memerlukan token",
	},
}
