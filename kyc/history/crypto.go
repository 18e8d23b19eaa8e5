package history

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// sealVersion prefixes every sealed value so the format can change later.
const sealVersion byte = 1

// ErrDecrypt means a sealed value failed to authenticate: it was damaged,
// moved to another row or column, or sealed under another key.
var ErrDecrypt = errors.New("history: value cannot be decrypted (damaged, or sealed under another key)")

// keySet is one generation of keys.
type keySet struct {
	gen   int64
	aead  cipher.AEAD
	index []byte
}

func newKeySet(gen int64, data, index []byte) (*keySet, error) {
	if len(data) != 32 || len(index) != 32 {
		return nil, fmt.Errorf("history: keys must be 32 bytes")
	}
	block, err := aes.NewCipher(data)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &keySet{gen: gen, aead: aead, index: append([]byte(nil), index...)}, nil
}

// row identifies the row a sealed value belongs to. Rows written since schema
// version 2 carry a random uid (16 bytes, stored in clear in row_uid) and their
// values are bound to it; older rows are bound to their id. The uid makes a value
// unusable in any other row even where an id could repeat: a history started
// afresh after a damaged one was set aside counts ids from 1 again under the
// same keys.
type row struct {
	id  int64
	uid []byte
}

// uidSize is the size of a row's random uid.
const uidSize = 16

func newRowUID() ([]byte, error) {
	b := make([]byte, uidSize)
	_, err := rand.Read(b)
	return b, err
}

// aad binds a value to its row and column.
func (r row) aad(column string) []byte {
	if len(r.uid) > 0 {
		return []byte("kycdesk/history/v2/" + hex.EncodeToString(r.uid) + "/" + column)
	}
	return []byte("kycdesk/history/v1/" + strconv.FormatInt(r.id, 10) + "/" + column)
}

// seal encrypts plaintext for (row, column) with a fresh nonce.
func (k *keySet) seal(r row, column string, plaintext []byte) ([]byte, error) {
	nonce := make([]byte, k.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	out := make([]byte, 0, 1+len(nonce)+len(plaintext)+k.aead.Overhead())
	out = append(out, sealVersion)
	out = append(out, nonce...)
	return k.aead.Seal(out, nonce, plaintext, r.aad(column)), nil
}

// open decrypts a value sealed by seal. Any failure is ErrDecrypt.
func (k *keySet) open(r row, column string, sealed []byte) ([]byte, error) {
	ns := k.aead.NonceSize()
	if len(sealed) < 1+ns+k.aead.Overhead() || sealed[0] != sealVersion {
		return nil, ErrDecrypt
	}
	pt, err := k.aead.Open(nil, sealed[1:1+ns], sealed[1+ns:], r.aad(column))
	if err != nil {
		return nil, ErrDecrypt
	}
	return pt, nil
}

// blindIndex is the keyed hash searched instead of the NIK.
func (k *keySet) blindIndex(nik string) []byte {
	m := hmac.New(sha256.New, k.index)
	m.Write([]byte("nik:" + normalizeNIK(nik)))
	return m.Sum(nil)
}

// check fingerprints the keys so Open can tell "this is the generation's
// key" from "some other key under the same name".
func keyCheck(key []byte, purpose string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("kycdesk/history/key-check/" + purpose))
	return m.Sum(nil)[:16]
}

func normalizeNIK(nik string) string { return strings.TrimSpace(nik) }

// MaskNIK shows the first four and last four characters of a NIK
// (3671********0004): enough for the clerk to recognise a record, not enough
// to identify a person. Shorter values are masked entirely.
func MaskNIK(nik string) string {
	nik = normalizeNIK(nik)
	if nik == "" {
		return ""
	}
	r := []rune(nik)
	if len(r) < 12 {
		return strings.Repeat("*", len(r))
	}
	return string(r[:4]) + strings.Repeat("*", len(r)-8) + string(r[len(r)-4:])
}
