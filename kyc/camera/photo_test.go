package camera_test

import (
	"context"
	"testing"

	"kycdesk/kyc/camera"
	"kycdesk/kyc/camera/cameratest"
	"kycdesk/kyc/photo"
)

// A captured still goes through the same kyc/photo path as a dropped file.
func TestStillThroughPhotoPipeline(t *testing.T) {
	src := cameratest.New(cameratest.Selfie(), 60)
	st, err := src.Open(context.Background(), "", camera.Mode{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	frame, err := st.Next(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	still := camera.Clone(frame)
	p, err := photo.PrepareImage(context.Background(), still, photo.KindSelfie)
	if err != nil {
		t.Fatalf("PrepareImage: %v", err)
	}
	if p.Source.Width != 1920 || p.Source.Height != 1080 || len(p.JPEG) == 0 {
		t.Errorf("prepared %d×%d from %d×%d, %d bytes", p.Width, p.Height, p.Source.Width, p.Source.Height, len(p.JPEG))
	}
	if len(p.Faces) != 1 || len(p.Blocking()) > 0 {
		t.Errorf("the sample selfie captured at 1080p: faces %v, blocking findings %+v", p.Faces, p.Blocking())
	}
	t.Logf("prepared %d×%d q%d, %d bytes, faces %v, findings %+v", p.Width, p.Height, p.Quality, len(p.JPEG), p.Faces, p.Findings)
}
