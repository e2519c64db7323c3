package scheduler

import (
	_ "embed"
	"strings"
	"sync"
)

// timezones.txt: the zones of France and Québec first (and UTC), then the
// canonical IANA zones of zone1970.tab, one a line.
//
//go:embed timezones.txt
var timeZoneList string

var timeZones = sync.OnceValue(func() []string { return strings.Fields(timeZoneList) })

// TimeZones lists the IANA time zones a campaign's schedule is offered in,
// those of France and Québec first: the forms' list to search. Any other
// name time.LoadLocation knows is still accepted.
func TimeZones() []string { return timeZones() }
