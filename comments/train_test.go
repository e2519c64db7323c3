package comments

import (
	"bytes"
	"os"
	"testing"
)

func readCorpusFile(t *testing.T, name string) []Row {
	t.Helper()
	f, err := os.Open("../testdata/comments/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := ReadCorpus(f)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestEmbeddedModelIsTrainedFromTheCorpus: retraining on the corpus's
// train and dev splits with the default options gives the embedded model
// byte for byte, so the weights in the binary are the corpus's and
// nothing else's.
func TestEmbeddedModelIsTrainedFromTheCorpus(t *testing.T) {
	t.Parallel()
	rows := append(readCorpusFile(t, "train.tsv"), readCorpusFile(t, "dev.tsv")...)
	var buf bytes.Buffer
	if err := Train(rows, DefaultTrainOptions).Encode(&buf); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), embeddedModel) {
		t.Fatal("the model trained from testdata/comments differs from comments/model/comments.model: run go run ./cmd/train-comments and commit both")
	}
}

// TestTrainingIsReproducible: the same rows and seed give the same
// weights; another seed gives others.
func TestTrainingIsReproducible(t *testing.T) {
	t.Parallel()
	rows := readCorpusFile(t, "dev.tsv")
	encode := func(seed uint64) []byte {
		opt := DefaultTrainOptions
		opt.Seed, opt.Folds = seed, 2
		var buf bytes.Buffer
		if err := Train(rows, opt).Encode(&buf); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	a, b, c := encode(1), encode(1), encode(2)
	if !bytes.Equal(a, b) {
		t.Error("two trainings with the same seed differ")
	}
	if bytes.Equal(a, c) {
		t.Error("two trainings with different seeds are equal: the seed is not used")
	}
	m, err := DecodeModel(bytes.NewReader(a))
	if err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	if err := m.Encode(&again); err != nil || !bytes.Equal(again.Bytes(), a) {
		t.Errorf("a decoded model encodes differently (%v)", err)
	}
}

func TestDecodeModelRefusesOtherFiles(t *testing.T) {
	t.Parallel()
	for _, b := range [][]byte{nil, []byte("not gzip"), embeddedModel[:len(embeddedModel)/2]} {
		if _, err := DecodeModel(bytes.NewReader(b)); err == nil {
			t.Errorf("decoded %d bytes of garbage without an error", len(b))
		}
	}
}
