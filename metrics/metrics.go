package metrics

import (
	"context"
	"net/http"
	"time"

	"github.com/hibiken/asynq"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds the registry and every instrument.
type Metrics struct {
	Registry *prometheus.Registry

	EmailsSent       *prometheus.CounterVec
	EmailsFailed     *prometheus.CounterVec
	Replies          prometheus.Counter
	NegativeReplies  prometheus.Counter
	ComplaintsOpened *prometheus.CounterVec
	Alerts           *prometheus.CounterVec
	DeadlineBreaches prometheus.Counter
	TaskDuration     *prometheus.HistogramVec
	TaskErrors       *prometheus.CounterVec
	// Reconciled counts the tasks the reconciler queued again (outcome
	// queued: the task was lost) or revived (outcome revived: it was
	// archived), by kind of work; work still queued is not counted.
	Reconciled *prometheus.CounterVec
	// TasksRevived counts archived tasks replaced by new ones, by task type,
	// whoever enqueued their work again.
	TasksRevived *prometheus.CounterVec
	// WorkWaiting is, per kind of work, how long the oldest pending work
	// has waited, as PostgreSQL says at the last reconciliation.
	WorkWaiting *prometheus.GaugeVec
	// WorkStalled is 1 while a kind of work has waited past its threshold.
	WorkStalled *prometheus.GaugeVec
	// RetentionPurged counts the rows whose comments or messages the
	// retention purge replaced (FOLLOWUP_RETENTION_MONTHS), by kind.
	RetentionPurged *prometheus.CounterVec
	// HTTP counts and times the requests of the web servers (web.Server).
	HTTP HTTP
}

// New registers every instrument, Go and process collectors included.
func New() *Metrics {
	r := prometheus.NewRegistry()
	m := &Metrics{
		Registry: r,
		EmailsSent: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "followup_emails_sent_total",
			Help: "Emails to customers accepted by the mail server, " + byLabel("followup_emails_sent_total", "kind") + "."}, []string{"kind"}),
		EmailsFailed: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "followup_emails_failed_total",
			Help: "Emails to customers not delivered, " + byLabel("followup_emails_failed_total", "cause") + "."}, []string{"cause"}),
		Replies: prometheus.NewCounter(prometheus.CounterOpts{Name: "followup_replies_total",
			Help: "Survey replies stored, each once, scored or not."}),
		NegativeReplies: prometheus.NewCounter(prometheus.CounterOpts{Name: "followup_negative_replies_total",
			Help: "Survey replies judged negative, each once, when first scored."}),
		ComplaintsOpened: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "followup_complaints_opened_total",
			Help: "Complaints opened, " + byLabel("followup_complaints_opened_total", "priority") + "."}, []string{"priority"}),
		Alerts: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "followup_alerts_total",
			Help: "Alerts delivered, " + byLabel("followup_alerts_total", "kind") + " and " +
				byLabel("followup_alerts_total", "channel") + "."}, []string{"kind", "channel"}),
		DeadlineBreaches: prometheus.NewCounter(prometheus.CounterOpts{Name: "followup_deadline_breaches_total",
			Help: "Complaints whose deadline passed unresolved."}),
		TaskDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "followup_task_duration_seconds",
			Help: "Time to process a task, by type.", Buckets: prometheus.ExponentialBuckets(0.001, 2.5, 12)}, []string{"type"}),
		TaskErrors: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "followup_task_errors_total",
			Help: "Tasks that returned an error, by type."}, []string{"type"}),
		Reconciled: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "followup_reconciled_total",
			Help: "Tasks the reconciler queued again (outcome queued: lost) or revived (outcome revived: archived), " +
				byLabel("followup_reconciled_total", "kind") + " and " + byLabel("followup_reconciled_total", "outcome") + "."},
			[]string{"kind", "outcome"}),
		TasksRevived: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "followup_tasks_revived_total",
			Help: "Archived tasks replaced by a new task with fresh retries because PostgreSQL says their work is pending, by type."},
			[]string{"type"}),
		WorkWaiting: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "followup_work_waiting_seconds",
			Help: "How long the oldest pending work has waited, from PostgreSQL, at the last reconciliation (0: none), " +
				byLabel("followup_work_waiting_seconds", "kind") + "."},
			[]string{"kind"}),
		WorkStalled: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "followup_work_stalled",
			Help: "1 while the oldest pending work has waited past its threshold (FOLLOWUP_STALL_AFTER), else 0, " +
				byLabel("followup_work_stalled", "kind") + "."},
			[]string{"kind"}),
		RetentionPurged: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "followup_retention_purged_total",
			Help: "Rows whose comments or messages were replaced by [erased] past the retention period (FOLLOWUP_RETENTION_MONTHS), " +
				byLabel("followup_retention_purged_total", "kind") + "."},
			[]string{"kind"}),
	}
	r.MustRegister(m.RetentionPurged, m.EmailsSent, m.EmailsFailed, m.Replies, m.NegativeReplies, m.ComplaintsOpened, m.Alerts,
		m.DeadlineBreaches, m.TaskDuration, m.TaskErrors, m.Reconciled, m.TasksRevived, m.WorkWaiting, m.WorkStalled,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.HTTP = newHTTP(r)
	return m
}

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry})
}

// Middleware times every task and counts its errors, by task type.
func (m *Metrics) Middleware(next asynq.Handler) asynq.Handler {
	return asynq.HandlerFunc(func(ctx context.Context, t *asynq.Task) error {
		start := time.Now()
		err := next.ProcessTask(ctx, t)
		m.TaskDuration.WithLabelValues(t.Type()).Observe(time.Since(start).Seconds())
		if err != nil {
			m.TaskErrors.WithLabelValues(t.Type()).Inc()
		}
		return err
	})
}
