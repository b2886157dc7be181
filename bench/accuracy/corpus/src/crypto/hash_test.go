package crypto

import "testing"

var vectors = []struct{ in, sha256 string }{
	{"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
	{"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
}

const testKeyID = "102c027a-0e77-46bb-a283-c475b520da79"

func TestHash(t *testing.T) {
	for _, v := range vectors {
		if got := Hash(v.in); got != v.sha256 {
			t.Errorf("Hash(%q) = %s", v.in, got)
		}
	}
}
