package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jmoiron/sqlx"
)

// applicationName tags the server's database sessions, so that their
// PostgreSQL backends can be found and their CPU time read.
const applicationName = "bench-ingest"

// clockTicks is Linux's USER_HZ, the unit of /proc/<pid>/stat times.
const clockTicks = 100

// cpuSample is the CPU time used so far by this process and by the
// PostgreSQL backends serving it. On a shared machine, wall-clock rates
// depend on what else runs; CPU time per event does not, or much less.
type cpuSample struct {
	self     time.Duration
	backends map[int]time.Duration
}

// sampleCPU reads the CPU times; backends is empty when PostgreSQL is not
// on this machine (its /proc entries are not ours to read).
func sampleCPU(ctx context.Context, db *sqlx.DB) cpuSample {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	s := cpuSample{
		self:     time.Duration(ru.Utime.Nano() + ru.Stime.Nano()),
		backends: map[int]time.Duration{},
	}
	var pids []int
	_ = db.SelectContext(ctx, &pids, `SELECT pid FROM pg_stat_activity WHERE application_name = $1`, applicationName)
	for _, pid := range pids {
		if t, ok := procCPU(pid); ok {
			s.backends[pid] = t
		}
	}
	return s
}

// procCPU reads utime+stime of a process from /proc/<pid>/stat.
func procCPU(pid int) (time.Duration, bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, false
	}
	// The command name (field 2) may hold spaces: count from its ')'.
	rest := string(b)
	if i := strings.LastIndexByte(rest, ')'); i >= 0 {
		rest = rest[i+1:]
	}
	f := strings.Fields(rest)
	if len(f) < 13 {
		return 0, false
	}
	ut, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return time.Duration(ut+st) * time.Second / clockTicks, true
}

// cpuUse is the CPU time spent between two samples.
type cpuUse struct {
	self, postgres time.Duration
	seen           bool // backends were found
}

func cpuBetween(before, after cpuSample) cpuUse {
	u := cpuUse{self: after.self - before.self, seen: len(after.backends) > 0}
	for pid, t := range after.backends {
		u.postgres += t - before.backends[pid] // a backend opened meanwhile counts whole
	}
	return u
}

func (u cpuUse) print(events, cores int) {
	if !u.seen {
		fmt.Println("  CPU: PostgreSQL backends not found on this machine; not measured")
		return
	}
	per := func(d time.Duration) float64 { return float64(d.Microseconds()) / float64(events) }
	total := per(u.self + u.postgres)
	fmt.Printf("  CPU per event: %.0f µs (followup and client %.0f µs, PostgreSQL backends %.0f µs): %d cores could do %.0f events/s if nothing else ran\n",
		total, per(u.self), per(u.postgres), cores, float64(cores)*1e6/total)
}
