package metrics

import (
	"github.com/hibiken/asynq"
	"github.com/prometheus/client_golang/prometheus"
)

// QueueCollector reports the asynq queues' sizes and latency, read from
// Redis at each scrape (asynq's own collector lives in a module without
// releases).
type QueueCollector struct {
	Inspector *asynq.Inspector
	Queues    []string

	size    *prometheus.Desc
	latency *prometheus.Desc
	up      *prometheus.Desc
}

// NewQueueCollector returns a collector for queues.
func NewQueueCollector(insp *asynq.Inspector, queues []string) *QueueCollector {
	return &QueueCollector{Inspector: insp, Queues: queues,
		size: prometheus.NewDesc("followup_queue_tasks", "Tasks in an asynq queue, by state.", []string{"queue", "state"}, nil),
		latency: prometheus.NewDesc("followup_queue_latency_seconds", "Age of the oldest pending task of an asynq queue.",
			[]string{"queue"}, nil),
		up: prometheus.NewDesc("followup_queue_up", "1 when the queue could be read from Redis.", []string{"queue"}, nil),
	}
}

// Describe implements prometheus.Collector.
func (c *QueueCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.size
	ch <- c.latency
	ch <- c.up
}

// Collect implements prometheus.Collector.
func (c *QueueCollector) Collect(ch chan<- prometheus.Metric) {
	for _, q := range c.Queues {
		info, err := c.Inspector.GetQueueInfo(q)
		if err != nil {
			// A queue never used yet does not exist in Redis: report it empty.
			ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, 0, q)
			continue
		}
		ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, 1, q)
		for state, n := range map[string]int{"pending": info.Pending, "active": info.Active, "scheduled": info.Scheduled,
			"retry": info.Retry, "archived": info.Archived, "completed": info.Completed} {
			ch <- prometheus.MustNewConstMetric(c.size, prometheus.GaugeValue, float64(n), q, state)
		}
		ch <- prometheus.MustNewConstMetric(c.latency, prometheus.GaugeValue, info.Latency.Seconds(), q)
	}
}
