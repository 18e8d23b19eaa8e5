package vault

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
)

// KeySize is the size of keys made by Key: 256 bits, for AES-256 and HMAC-SHA-256.
const KeySize = 32

// Key names used by the history.
const (
	KeyHistoryData  = "history-data-key"
	KeyHistoryIndex = "history-index-key"
)

// keyName keeps key entries apart from profile entries in the same keyring
// service: profile names may not end in "-key" (see validateName).
var keyName = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*-key$`)

// Key returns the random key stored under name (service "kycdesk", user name,
// base64). If none is stored and create is true it makes a new one from
// crypto/rand and stores it; if create is false it returns an error matching
// ErrNotFound. A stored value that is not a base64 key of KeySize bytes is
// reported as CodeKeyring rather than replaced: replacing it would make
// every row written under the old key unreadable.
//
// Creation is not atomic across processes; callers that may race (two
// processes opening the history for the first time) must serialise creation
// themselves, e.g. under a database write lock, and re-read with create=false.
func (v *Vault) Key(ctx context.Context, name string, create bool) ([]byte, error) {
	if !keyName.MatchString(name) {
		return nil, newErr(CodeKeyring, "key", name, "", fmt.Errorf(`key names are lower-case words joined by "-" ending in "-key"`))
	}
	var enc string
	err := v.kr.do(ctx, "get", name, func(b Backend) error {
		var err error
		enc, err = b.Get(Service, name)
		return err
	})
	switch {
	case err == nil:
		k, derr := base64.StdEncoding.DecodeString(enc)
		if derr != nil || len(k) != KeySize {
			return nil, newErr(CodeKeyring, "key", name, v.KeyringName(), errors.New("stored value is not a 32-byte base64 key"))
		}
		return k, nil
	case !errors.Is(err, ErrNotFound) || !create:
		return nil, err
	}
	k := make([]byte, KeySize)
	if _, err := rand.Read(k); err != nil {
		return nil, fmt.Errorf("vault: random key: %w", err)
	}
	if err := v.kr.do(ctx, "set", name, func(b Backend) error {
		return b.Set(Service, name, base64.StdEncoding.EncodeToString(k))
	}); err != nil {
		return nil, err
	}
	return k, nil
}

// DeleteKey removes a key from the keyring (used when the user starts a new
// history after archiving the old one). Missing is not an error.
func (v *Vault) DeleteKey(ctx context.Context, name string) error {
	if !keyName.MatchString(name) {
		return newErr(CodeKeyring, "key", name, "", fmt.Errorf("invalid key name"))
	}
	err := v.kr.do(ctx, "delete", name, func(b Backend) error { return b.Delete(Service, name) })
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}
