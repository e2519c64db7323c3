// Package commenteval measures the product's own decision on labelled
// comments: each comment is put in a reply whose ratings sit at the middle
// of every scale, scored by the function the survey submission uses, and
// assessed by the complaint policy, so what is measured is what a customer
// would get.
//
// Tables: none; pure functions over the surveys and complaints rules. It must
// never measure a decision the product does not make.
package commenteval
