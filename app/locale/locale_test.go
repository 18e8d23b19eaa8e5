package locale

import "testing"

func TestRepair(t *testing.T) {
	cases := []struct {
		env       map[string]string
		wantMsgs  string
		wantCtype string
		wantLCAll string
	}{
		{map[string]string{"LANG": "C.UTF-8"}, "C", "", ""},
		{map[string]string{"LC_ALL": "C.utf8"}, "C", "C.utf8", ""},
		{map[string]string{"LANG": "POSIX@euro"}, "C", "", ""},
		{map[string]string{"LANG": "id_ID.UTF-8"}, "", "", ""},
		{map[string]string{"LANG": "C"}, "", "", ""},
		{map[string]string{"LC_MESSAGES": "en_US.UTF-8", "LANG": "C.UTF-8"}, "en_US.UTF-8", "", ""},
	}
	for _, c := range cases {
		env := map[string]string{}
		for k, v := range c.env {
			env[k] = v
		}
		Repair(func(k string) string { return env[k] },
			func(k, v string) error { env[k] = v; return nil },
			func(k string) error { delete(env, k); return nil })
		if env["LC_MESSAGES"] != c.wantMsgs || env["LC_CTYPE"] != c.wantCtype || env["LC_ALL"] != c.wantLCAll {
			t.Errorf("%v → %v", c.env, env)
		}
	}
}
