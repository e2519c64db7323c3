package haenv

import "github.com/followup/followup/internal/procgroup"

// Procs is every process an environment started (see procgroup).
type Procs = procgroup.Procs

// Proc is one child process (see procgroup).
type Proc = procgroup.Proc

// NewProcs returns an empty set of processes.
func NewProcs() *Procs { return procgroup.New() }
