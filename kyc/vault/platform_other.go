//go:build !linux && !windows && !darwin

package vault

const platformKeyringName = "system keyring"

func platformPreflight() error { return nil }

func classifyPlatform(err error) Code { return CodeKeyring }
