package camera

import (
	"errors"
	"syscall"
	"testing"
)

func TestErrorClassAndCause(t *testing.T) {
	err := wrap(ErrPermission, "open", syscall.EACCES)
	if !errors.Is(err, ErrPermission) || !errors.Is(err, syscall.EACCES) {
		t.Fatalf("%v: class or cause lost", err)
	}
	var ce *Error
	if !errors.As(err, &ce) || ce.Op != "open" {
		t.Fatalf("errors.As: %+v", ce)
	}
	if again := wrap(ErrOpen, "start", err); again != err {
		t.Errorf("re-wrapping changed the class: %v", again)
	}
	if got := Classify(err); got != ErrPermission {
		t.Errorf("Classify = %v", got)
	}
	if got := Classify(errors.New("strange")); got != ErrOpen {
		t.Errorf("Classify(unknown) = %v, want ErrOpen", got)
	}
	if s := (&Error{Kind: ErrBusy}).Error(); s != ErrBusy.Error() {
		t.Errorf("message %q", s)
	}
}
