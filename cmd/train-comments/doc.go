// Command train-comments trains the comment model embedded in followup
// from the labelled corpus, and splits a corpus once into train, dev and
// test.
//
//	go run ./cmd/train-comments                  # train on testdata/comments/train.tsv and dev.tsv
//	go run ./cmd/train-comments -check           # retrain and fail if the weights differ from the embedded ones
//	go run ./cmd/train-comments split FILE...    # merge raw files into the corpus and split it (done once)
//	go run ./cmd/train-comments extend FILE...   # add raw files to train and dev, never to test
//
// The same corpus and seed always give the same weights, byte for byte.
// The test split is never read here.
//
// Tables: none; it reads testdata/comments and writes the embedded weights
// of the comments package.
package main
