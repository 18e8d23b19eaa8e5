// Package history is KYC Desk's transaction log: one row per gateway call,
// written before the call is sent, completed after, kept encrypted and
// expired after a retention period.
//
// # Durability
//
// SQLite (modernc.org/sqlite, pure Go) in WAL mode with synchronous=FULL: a
// committed row survives a power cut. Track commits a "pending" row before it
// lets the caller send anything; if that commit fails the call is not sent.
// A pending row whose process is gone becomes "unknown" with the note
// NoteInterrupted and is never re-sent.
//
// Whether a pending row's process is gone is decided with an OS lock, not a
// PID: every open Store holds an exclusive SQLite lock on its own file
// owners/<id>.lock for its whole life, and pending rows carry that id. The OS
// releases the lock when the process dies (even by SIGKILL or power loss), so
// another process can tell "still running" (lock busy) from "gone" (lock
// free) on every OS, without PID-reuse races or heartbeat writes. Stores in
// the GUI and in a command can therefore run side by side: neither marks the
// other's calls in flight as unknown.
//
// # Encryption
//
// Clear columns: product, cust_ref_no, profile, times, outcome, error kind,
// HTTP status, attempts, trx_id, ref_id, gateway timestamp, duration, masked
// NIK. Everything personal (full NIK, the validation inputs, the OCR data and
// match results, the gateway's error message, images) is sealed with
// AES-256-GCM, a fresh random nonce per value, and "row id / column" as
// additional data, so a value copied to another row or column fails to
// open. NIK search uses HMAC-SHA-256 under a separate key (a blind index).
// Both keys are random, live only in the OS keyring (through KeySource,
// normally *vault.Vault) and are created on first use.
//
// Keys come in generations. If the keyring loses the current key the store
// still opens: clear fields stay listable, personal fields report
// ErrKeyUnavailable per value, and Track refuses calls that carry personal
// data until the user either restores the keyring or calls StartNewKeys,
// which begins a new generation (stored under new keyring names). Old rows
// keep their generation and become readable again if their key returns.
//
// # Retention
//
// Rows older than the retention period (DefaultRetention, 90 days) are
// deleted at Open and by RunMaintenance, with secure_delete on and a WAL
// checkpoint (TRUNCATE) so the deleted bytes leave the database, the WAL
// and the disk. 90 days covers the gateway's monthly invoice plus a
// two-month dispute window; UU 27/2022 requires keeping personal data no
// longer than its purpose needs, so the merchant may shorten it.
package history
