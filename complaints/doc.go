// Package complaints owns the complaint opened on a negative reply: how it
// is assessed (severity, priority and deadline, compensation advice), its
// lifecycle and its audit trail. It knows nothing of HTTP, queues or email.
package complaints
