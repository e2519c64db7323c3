// Package comments reads the free-text comment of a reply: tokens, stems and
// negation in French and English, the gazetteer, the keyword lexicon (risks
// of dissatisfaction, threats), the model that reads anger, intent to go
// public, to take legal action or to leave, and incivility (its features,
// training and embedded weights), and the corpus format with its measures.
// Read and Model.Read turn a text into a Reading; surveys weighs it with the
// ratings.
//
// Everything here is a pure function of the text: the weights are embedded
// with go:embed and produced by cmd/train-comments, so the same corpus and
// seed always give the same reading.
//
// Tables: none. It must never touch storage, the network or the clock, and
// imports nothing of followup: surveys, complaints and corrections import it.
package comments
