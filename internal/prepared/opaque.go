package prepared

// Opaque returns an SQL expression with the value of the array parameter
// param (as "$1::bigint[]") that the planner cannot see into.
//
// PostgreSQL plans the first five executions of a prepared statement with
// the parameters' values, then keeps one generic plan only if it does not
// look dearer than those. With an array parameter it does: the custom
// plans count the array's elements and the generic one guesses ten, so a
// statement that usually gets a few ids is planned again at every call.
// For the statements of the send and reply paths, planning took up to
// three times as long as executing. Read through a sub-select, the array
// costs the same in every plan, and the generic plan is kept.
//
// Use it for arrays of keys looked up by index, whose best plan does not
// depend on their size; it works wherever an array value does
// (unnest(...), = ANY (...)).
func Opaque(param string) string {
	return "(SELECT " + param + ")::" + arrayType(param)
}

// arrayType is the type named by the cast ending param ("bigint[]" in
// "$1::bigint[]").
func arrayType(param string) string {
	for i := len(param) - 1; i > 0; i-- {
		if param[i] == ':' && param[i-1] == ':' {
			return param[i+1:]
		}
	}
	panic("prepared.Opaque: " + param + " has no ::type cast")
}
