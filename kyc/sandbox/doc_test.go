package sandbox

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestDocMentionsEverything keeps doc.go (which the README copies) in step
// with the exported tables.
func TestDocMentionsEverything(t *testing.T) {
	b, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for _, sc := range Scenarios {
		if !strings.Contains(doc, "//\t"+sc.Trigger+" ") {
			t.Errorf("doc.go's scenario table lacks %s", sc.Trigger)
		}
	}
	for _, tok := range BuiltinTokenDocs {
		if !strings.Contains(doc, "//\t"+tok.Token+" ") {
			t.Errorf("doc.go's token table lacks %s", tok.Token)
		}
	}
	for _, d := range []string{DescNotActivated, DescNotApproved, DescQuota, DescInternal, DescBadContentType, DescBadJSON, DescNoCustRef, DescNoNIK} {
		if !strings.Contains(doc, d) {
			t.Errorf("doc.go does not mention %q", d)
		}
	}
	var mismatch Person
	for _, p := range specimens {
		if p.FaceMismatch {
			mismatch = p
		}
	}
	if !strings.Contains(doc, mismatch.NIK) || !strings.Contains(doc, mismatch.Name) {
		t.Errorf("doc.go does not name the face-mismatch specimen %s", mismatch.NIK)
	}
	if n := len(specimens); !strings.Contains(doc, "returns "+strconv.Itoa(n)+" invented people") {
		t.Errorf("doc.go miscounts the specimens (%d)", n)
	}
}
