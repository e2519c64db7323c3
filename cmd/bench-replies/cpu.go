package main

import (
	"context"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jmoiron/sqlx"
)

// appName marks the benchmark's PostgreSQL connections, so their backends'
// CPU can be told from other clients of the same server.
const appName = "bench-replies"

// cpuSample is CPU time used so far by this process and by the PostgreSQL
// backends serving it.
type cpuSample struct {
	self, postgres time.Duration
}

// sampleCPU reads this process's CPU time (getrusage) and its PostgreSQL
// backends' (from /proc, found by application name). Backends must be on
// this machine; a backend that exited between samples is not counted.
func sampleCPU(ctx context.Context, db *sqlx.DB) cpuSample {
	var s cpuSample
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		s.self = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	var pids []int
	if err := db.SelectContext(ctx, &pids, `SELECT pid FROM pg_stat_activity WHERE application_name = $1`, appName); err != nil {
		return s
	}
	for _, pid := range pids {
		b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		if err != nil {
			continue
		}
		// Fields after the command (which may hold spaces) in parentheses.
		rest := string(b[strings.LastIndexByte(string(b), ')')+2:])
		f := strings.Fields(rest)
		if len(f) < 13 {
			continue
		}
		ut, _ := strconv.ParseInt(f[11], 10, 64)
		st, _ := strconv.ParseInt(f[12], 10, 64)
		s.postgres += time.Duration(ut+st) * 10 * time.Millisecond // USER_HZ is 100 on Linux
	}
	return s
}
