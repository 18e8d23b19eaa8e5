package photo

import "fmt"

// Severity of a finding: an Error blocks sending; a Warning can be overridden by the clerk.
type Severity int

// Severities. (Prefixed because Error is this package's error type.)
const (
	SeverityWarning Severity = iota + 1
	SeverityError
)

func (s Severity) String() string {
	switch s {
	case SeverityWarning:
		return "warning"
	case SeverityError:
		return "error"
	}
	return fmt.Sprintf("Severity(%d)", int(s))
}

// MarshalText makes severities read "warning"/"error" in JSON output.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Finding codes. Stable: the CLI prints them and the GUI keys help text on them.
const (
	FindingTooSmall     = "too_small"
	FindingBlurred      = "blurred"
	FindingTooDark      = "too_dark"
	FindingOverexposed  = "overexposed"
	FindingGlare        = "glare"
	FindingLowContrast  = "low_contrast"
	FindingNoFace       = "no_face"
	FindingSeveralFaces = "several_faces"
	FindingFaceTooSmall = "face_too_small"
)

// Finding is one pre-flight observation about a prepared image.
type Finding struct {
	Code      string   `json:"code"`
	Severity  Severity `json:"severity"`
	MessageID string   `json:"message_id"` // Bahasa Indonesia
	MessageEN string   `json:"message_en"` // English
	Value     float64  `json:"value"`      // the measured quantity the threshold was applied to
	Limit     float64  `json:"limit"`      // the threshold it crossed
}
