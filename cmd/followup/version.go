package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

// Set at link time by builds that have no VCS information to embed (the
// image's, whose context leaves .git out):
//
//	go build -ldflags "-X main.version=v1.4.0 -X main.commit=$(git rev-parse HEAD)
//	  -X main.commitTime=$(git log -1 --format=%cI) -X main.modified=false"
//
// These are the only package variables of the command: -X can set nothing
// else. Empty ones take what runtime/debug.ReadBuildInfo knows.
var (
	version    string
	commit     string
	commitTime string
	modified   string
)

// buildInfo is what "followup version" prints.
type buildInfo struct {
	Version, Commit, CommitTime, Modified, Go, Platform string
}

// readBuildInfo combines the link-time values with the build information
// the Go toolchain embeds (module version, vcs.revision, vcs.time,
// vcs.modified); a link-time value wins.
func readBuildInfo() buildInfo {
	b := buildInfo{Go: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if info, ok := debug.ReadBuildInfo(); ok {
		b.Version = info.Main.Version
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				b.Commit = s.Value
			case "vcs.time":
				b.CommitTime = s.Value
			case "vcs.modified":
				b.Modified = s.Value
			}
		}
	}
	for _, o := range []struct {
		dst *string
		v   string
	}{
		{&b.Version, version}, {&b.Commit, commit}, {&b.CommitTime, commitTime}, {&b.Modified, modified},
	} {
		if o.v != "" {
			*o.dst = o.v
		}
	}
	for _, p := range []*string{&b.Version, &b.Commit, &b.CommitTime, &b.Modified} {
		if *p == "" || *p == "(devel)" {
			*p = "unknown"
		}
	}
	return b
}

// cmdVersion prints the version, the commit it was built from and whether
// the tree had uncommitted changes, and the Go toolchain.
func cmdVersion(stdout io.Writer) error {
	b := readBuildInfo()
	_, err := fmt.Fprintf(stdout, "followup %s\ncommit %s\ncommit time %s\nmodified %s\ngo %s %s\n",
		b.Version, b.Commit, b.CommitTime, b.Modified, b.Go, b.Platform)
	return err
}
