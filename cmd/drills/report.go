package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// recoveryTarget is the target: the campaign finishes within two
// minutes of the fault's end.
const recoveryTarget = 2 * time.Minute

// verdict checks an outcome against the targets: 0 lost, duplicates at most
// one per SMTP connection in flight at the fault, finished within two
// minutes of the fault's end, no 5xx to bad input, and whatever the drill
// itself found wrong.
func (o *outcome) verdict() []string {
	if o.Err != nil {
		return []string{"drill error: " + o.Err.Error()}
	}
	v := append([]string(nil), o.Failures...)
	if o.Lost > 0 {
		v = append(v, fmt.Sprintf("%d lost", o.Lost))
	}
	if o.Dups > o.Allowed {
		v = append(v, fmt.Sprintf("%d duplicates for %d connections in flight", o.Dups, o.Allowed))
	}
	if !o.Finished {
		v = append(v, fmt.Sprintf("not finished %s after the fault", o.Recovery.Round(time.Second)))
	} else if o.Recovery > recoveryTarget {
		v = append(v, fmt.Sprintf("finished %s after the fault (target %s)", o.Recovery.Round(time.Second), recoveryTarget))
	}
	if o.SentNotReceived > 0 {
		v = append(v, fmt.Sprintf("%d marked sent in PostgreSQL but never received", o.SentNotReceived))
	}
	return v
}

func (o *outcome) pass() bool { return len(o.verdict()) == 0 }

func printOutcome(w io.Writer, o *outcome, took time.Duration) {
	if o.Err != nil {
		fmt.Fprintf(w, "   error: %v\n", o.Err)
	}
	fmt.Fprintf(w, "   invitations expected %d; at the sink %d messages, %d unique Message-IDs\n", o.Expected, o.Received, o.Unique)
	fmt.Fprintf(w, "   lost %d; duplicates %d (allowed %d: connections busy at the faults; configuration bound %d)\n",
		o.Lost, o.Dups, o.Allowed, o.Bound)
	fmt.Fprintf(w, "   PostgreSQL: %d sent, %d failed, %d suppressed or expired, %d still to send; %d sent but not received, %d received but not sent\n",
		o.PG.Sent, o.PG.Failed, o.PG.Other, o.PG.Pending, o.SentNotReceived, o.ReceivedNotSent)
	if o.Finished {
		fmt.Fprintf(w, "   campaign finished %s after the fault ended\n", o.Recovery.Round(100*time.Millisecond))
	}
	if o.Requests > 0 {
		fmt.Fprintf(w, "   HTTP: %d requests, %d answered 5xx\n", o.Requests, o.Status5xx)
	}
	for _, n := range o.Notes {
		fmt.Fprintf(w, "   - %s\n", n)
	}
	fmt.Fprintf(w, "   verdict: %s (drill took %s)\n\n", verdictText(o), took.Round(time.Second))
}

func verdictText(o *outcome) string {
	if v := o.verdict(); len(v) > 0 {
		return "FAIL: " + strings.Join(v, "; ")
	}
	return "PASS"
}

// printSummary is the table RELIABILITY.md takes.
func printSummary(w io.Writer, results []*outcome) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "drill\texpected\tunique\tlost\tduplicates\tallowed\trecovery\t5xx\tverdict")
	for _, o := range results {
		rec := "not finished"
		if o.Finished {
			rec = o.Recovery.Round(time.Second).String()
		}
		verdict := "PASS"
		if !o.pass() {
			verdict = "FAIL"
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%s\t%d\t%s\n", o.Drill, o.Expected, o.Unique, o.Lost, o.Dups, o.Allowed, rec, o.Status5xx, verdict)
	}
	tw.Flush()
}
