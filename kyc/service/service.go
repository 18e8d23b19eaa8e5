// Package service runs the gateway's products the one way both the window and the
// headless commands run them: the call is put on record (history, write-ahead) before
// it is sent and completed after, whatever happens in between.
package service

import (
	"context"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"

	"kycdesk/kyc"
	"kycdesk/kyc/history"
)

// KindHistory is the error kind when the call could not be put on record. Nothing was
// sent: a call that is not on record is never made.
const KindHistory kyc.ErrorKind = "history_unavailable"

// Service calls the gateway through the history. It is safe for concurrent use.
type Service struct {
	Client *kyc.Client
	// History records every call; nil disables recording (tests of other layers only).
	History *history.Store
	// Profile is the profile name written with each record.
	Profile string
	// KeepImages also records the images sent (the store keeps them only when its own
	// StoreImages option is on: encrypted, and expiring sooner than the rows). Ignored
	// when Policy is set.
	KeepImages bool
	// Policy returns the settings in force for the next call, read live (a Desk's
	// settings: changing them applies to the next call, no reconnect). An error
	// (settings in doubt, data directory unusable) refuses the call: nothing is sent.
	// Nil: no consent required and KeepImages as set (tests of other layers).
	Policy func() (CallPolicy, error)
	// Sync reports the calls to head office (the profile has a sync section): the
	// history queues each state change of a call for the sender.
	Sync bool
	// AfterCall runs after every call that was put on record (the Desk kicks its
	// head office sender); it must not block.
	AfterCall func()
}

// CallPolicy is what the settings decide for one call.
type CallPolicy struct {
	ConsentRequired bool
	KeepImages      bool
}

// policy returns the call's policy, or the error that refuses it.
func (s *Service) policy(ctx context.Context) (CallPolicy, Consent, error) {
	if s.Policy == nil {
		c, _ := ConsentFrom(ctx)
		return CallPolicy{KeepImages: s.KeepImages}, c, nil
	}
	p, err := s.Policy()
	if err != nil {
		var ke *kyc.Error
		if errors.As(err, &ke) {
			return p, Consent{}, ke
		}
		return p, Consent{}, &kyc.Error{Kind: KindSettings, Outcome: kyc.OutcomeFailed, Message: "the settings are in doubt, so nothing was sent", Err: err}
	}
	c, ok := ConsentFrom(ctx)
	if p.ConsentRequired && !ok {
		return p, Consent{}, consentMissing()
	}
	if p.ConsentRequired && strings.TrimSpace(c.Text) == "" {
		return p, Consent{}, &kyc.Error{Kind: KindConsentRequired, Outcome: kyc.OutcomeFailed,
			Message: "the consent carries no text, so it cannot be recorded; nothing was sent"}
	}
	if c.Given() && c.User == "" {
		c.User = OSUser()
	}
	return p, c, nil
}

// Liveness runs passive liveness on record.
func (s *Service) Liveness(ctx context.Context, req kyc.LivenessRequest) (*kyc.LivenessResult, error) {
	req.CustRefNo = refOrNew(req.CustRefNo)
	var res *kyc.LivenessResult
	err := s.track(ctx, kyc.ProductLiveness, req.CustRefNo, "", nil, imageOf("selfie", req.SelfieImage), false, func(ctx context.Context) (kyc.Meta, map[string]string, error) {
		var err error
		res, err = s.Client.Liveness(ctx, req)
		var personal map[string]string
		if err == nil {
			personal = map[string]string{"live": strconv.FormatBool(res.Live), "result": res.RawResult}
		}
		return res.Meta, personal, err
	})
	if res == nil {
		res = &kyc.LivenessResult{Meta: refusedMeta(kyc.ProductLiveness, req.CustRefNo)}
	}
	return res, err
}

// Recognize runs ID recognize on record; the OCR data is stored encrypted.
func (s *Service) Recognize(ctx context.Context, req kyc.RecognizeRequest) (*kyc.RecognizeResult, error) {
	req.CustRefNo = refOrNew(req.CustRefNo)
	var res *kyc.RecognizeResult
	err := s.track(ctx, kyc.ProductIDRecognize, req.CustRefNo, "", nil, imageOf("id", req.IDImage), true, func(ctx context.Context) (kyc.Meta, map[string]string, error) {
		var err error
		res, err = s.Client.Recognize(ctx, req)
		if err != nil {
			return res.Meta, nil, err
		}
		return res.Meta, map[string]string(res.Identity), nil
	})
	if res == nil {
		res = &kyc.RecognizeResult{Meta: refusedMeta(kyc.ProductIDRecognize, req.CustRefNo)}
	}
	return res, err
}

// Validate runs ID validation on record; the NIK and the inputs are stored encrypted,
// the NIK also masked and as a keyed hash for search.
func (s *Service) Validate(ctx context.Context, req kyc.ValidationRequest) (*kyc.ValidationResult, error) {
	req.CustRefNo = refOrNew(req.CustRefNo)
	// Refuse locally before a record is written: an invalid request is not a call.
	if err := kyc.CheckValidation(req); err != nil {
		return s.Client.Validate(ctx, req)
	}
	inputs := map[string]string{}
	for k, v := range map[string]string{"name": req.Name, "birth_date": req.BirthDate, "birth_place": req.BirthPlace, "address": req.Address} {
		if v = strings.TrimSpace(v); v != "" {
			inputs[k] = v
		}
	}
	if req.SelfieImage != "" {
		inputs["selfie"] = "sent"
	}
	var res *kyc.ValidationResult
	err := s.track(ctx, kyc.ProductIDValidation, req.CustRefNo, strings.TrimSpace(req.NIK), inputs, imageOf("selfie", req.SelfieImage), true, func(ctx context.Context) (kyc.Meta, map[string]string, error) {
		var err error
		res, err = s.Client.Validate(ctx, req)
		if err != nil {
			return res.Meta, nil, err
		}
		return res.Meta, matchFields(res.Match), nil
	})
	if res == nil {
		res = &kyc.ValidationResult{Meta: refusedMeta(kyc.ProductIDValidation, req.CustRefNo)}
	}
	return res, err
}

// track checks the settings and the consent, then wraps send in the history's
// write-ahead record.
func (s *Service) track(ctx context.Context, p kyc.Product, ref, nikValue string, inputs map[string]string, image func() map[string][]byte,
	sealed bool, send func(ctx context.Context) (kyc.Meta, map[string]string, error)) error {
	pol, consent, err := s.policy(ctx)
	if err != nil {
		return err
	}
	if s.History == nil {
		_, _, err := send(ctx)
		return err
	}
	var images map[string][]byte
	if pol.KeepImages {
		images = image()
	}
	var (
		called  bool
		callErr error
	)
	_, err = s.History.Track(ctx, history.Call{
		Product: string(p), CustRefNo: ref, Profile: s.Profile, NIK: nikValue, Personal: inputs, Images: images,
		Sealed: sealed, Consent: consent, Sync: s.Sync, OSUser: OSUser(), AppVersion: kyc.Version,
	}, func(ctx context.Context) history.Completion {
		called = true
		meta, personal, err := send(ctx)
		callErr = err
		c := history.Completion{
			Outcome: string(meta.Outcome), HTTPStatus: meta.HTTPStatus, Attempts: meta.Attempts,
			TrxID: meta.TrxID, RefID: meta.RefID, GatewayTimestamp: meta.Timestamp, Personal: personal,
		}
		var ke *kyc.Error
		if errors.As(err, &ke) {
			c.ErrorKind, c.ErrorMessage = string(ke.Kind), ke.Message
		} else if err != nil {
			c.ErrorKind, c.ErrorMessage = "unknown", err.Error()
		}
		if c.Outcome == "" {
			c.Outcome = string(kyc.OutcomeOf(err))
		}
		return c
	})
	if called && s.AfterCall != nil {
		s.AfterCall()
	}
	if err != nil && !called {
		switch {
		case errors.Is(err, context.Canceled):
			return &kyc.Error{Kind: kyc.KindCanceled, Outcome: kyc.OutcomeFailed, Message: "cancelled; nothing was sent"}
		case errors.Is(err, context.DeadlineExceeded):
			return &kyc.Error{Kind: kyc.KindTimeout, Outcome: kyc.OutcomeFailed, Message: "timed out before sending; nothing was sent"}
		}
		return notRecorded(err)
	}
	// If only the completion could not be written, the row stays pending and shows as
	// "unknown" at the next start; the answer in hand is still the answer.
	return callErr
}

func notRecorded(err error) error {
	msg := "the call could not be put on record, so it was not sent"
	switch {
	case errors.Is(err, history.ErrKeyUnavailable):
		msg = "the history's encryption key is not available (is the keyring locked?), so the call was not sent"
	case errors.Is(err, history.ErrDiskFull):
		msg = "the disk is full: the call could not be put on record, so it was not sent. Free some space, then try again"
	case errors.Is(err, history.ErrCorrupt):
		msg = "the history database is damaged, so the call was not sent. Restart KYC Desk: it keeps the damaged file aside (nothing is deleted) and starts a new history"
	}
	return &kyc.Error{Kind: KindHistory, Outcome: kyc.OutcomeFailed, Message: msg, Err: err}
}

// imageOf returns the image to record, decoded only when the merchant keeps images.
func imageOf(kind, b64 string) func() map[string][]byte {
	return func() map[string][]byte {
		if b64 == "" {
			return nil
		}
		data, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			return nil
		}
		return map[string][]byte{kind: data}
	}
}

func refOrNew(ref string) string {
	if ref = strings.TrimSpace(ref); ref != "" {
		return ref
	}
	return kyc.NewRefNo()
}

func refusedMeta(p kyc.Product, ref string) kyc.Meta {
	return kyc.Meta{Product: p, CustRefNo: ref, Outcome: kyc.OutcomeFailed}
}

func matchFields(m kyc.Match) map[string]string {
	out := map[string]string{}
	for k, v := range map[string]*bool{"match_nik": m.NIK, "match_full_name": m.FullName, "match_birth_date": m.BirthDate,
		"match_birth_place": m.BirthPlace, "match_address": m.Address} {
		if v != nil {
			out[k] = strconv.FormatBool(*v)
		}
	}
	if m.SelfiePhoto != nil {
		out["selfie_photo"] = strconv.FormatFloat(*m.SelfiePhoto, 'f', -1, 64)
	}
	return out
}
