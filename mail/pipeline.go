package mail

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/textproto"
	"strings"

	gomail "github.com/wneessen/go-mail"
)

// SMTP command pipelining (RFC 2920), used when the server advertises
// PIPELINING. go-mail still opens the session (EHLO, STARTTLS, AUTH) and
// composes every message (headers, MIME, encodings); only the transactions
// are written here, on the session's own textproto connection, because
// go-mail waits for each reply before the next command.
//
// One message costs one round trip instead of four: the previous message's
// end of data, this message's MAIL, RCPT and DATA go in one write, and
// their replies are read in order. DATA is the last command of a group, so
// the body goes only after its 354. While the body is on the wire, the
// previous message's acceptance is recorded (the accepted callback); the
// final "." of this message is held until that record is done, so a crash
// can leave at most one accepted message unrecorded, as without
// pipelining.

// errDataAborted is why the message in its DATA phase was not completed:
// sending stopped, and closing the connection without the final "." is the
// only way to abandon a message once the server said 354.
var errDataAborted = errors.New("message abandoned in its DATA phase; the connection was closed without its end")

// envelope is what MAIL and RCPT say of one composed message.
type envelope struct {
	from  string
	rcpts []string
}

// reply is one SMTP reply read back.
type reply struct {
	code int
	msg  string
	err  error // nil for the expected code; *textproto.Error for another; else the connection broke
}

// stage is the command a failure answered, which says who is at fault.
type stage int

const (
	stageMail stage = iota
	stageRcpt
	stageData
	stageEnd
)

// transactionError turns the first failed reply of a transaction into a
// DeliveryError, with the rules of go-mail's errors (replyError).
func transactionError(st stage, r reply) *DeliveryError {
	var te *textproto.Error
	if !errors.As(r.err, &te) {
		return &DeliveryError{Temporary: true, Err: r.err}
	}
	enhanced := ""
	if f := strings.Fields(te.Msg); len(f) > 0 && strings.Count(f[0], ".") == 2 {
		enhanced = f[0]
	}
	what := [...]string{"MAIL FROM", "RCPT TO", "DATA", "end of data"}[st]
	return replyError(te.Code, enhanced, st == stageRcpt, te.Code/100 == 4, fmt.Errorf("%s refused: %w", what, te))
}

// pipelineState carries a connection's pipelined run between messages.
type pipelineState struct {
	c *conn
	// pending is the position of the message whose end of data was
	// written and whose reply is not read yet; -1 for none.
	pending int
	// raw is the composed message, body the same dot-stuffed: buffers
	// reused from one message to the next.
	raw  bytes.Buffer
	body []byte
}

// mailCommand writes MAIL FROM with the parameters go-mail's client would
// add for this server.
func (p *pipelineState) mailCommand(w io.Writer, from string) {
	params := ""
	if p.c.eightBit {
		params += " BODY=8BITMIME"
	}
	if p.c.smtpUTF8 {
		params += " SMTPUTF8"
	}
	fmt.Fprintf(w, "MAIL FROM:%s%s\r\n", from, params)
}

// envelopeOf is the envelope go-mail would use for m.
func envelopeOf(m *gomail.Msg) (envelope, error) {
	from, err := m.GetSender(false)
	if err != nil {
		return envelope{}, fmt.Errorf("envelope sender: %w", err)
	}
	rcpts, err := m.GetRecipients()
	if err != nil {
		return envelope{}, fmt.Errorf("envelope recipients: %w", err)
	}
	for _, a := range append([]string{from}, rcpts...) {
		if strings.ContainsAny(a, "\r\n") {
			return envelope{}, ErrUnsafeHeader
		}
	}
	return envelope{from: from, rcpts: rcpts}, nil
}

// read reads one reply expecting code (a prefix: 25 accepts 250 and 251).
func read(tp *textproto.Conn, code int) reply {
	c, msg, err := tp.ReadResponse(code)
	return reply{code: c, msg: msg, err: err}
}

// broken reports whether r ended the connection: no SMTP reply at all.
func (r reply) broken() bool {
	if r.err == nil {
		return false
	}
	var te *textproto.Error
	return !errors.As(r.err, &te)
}

// appendDotStuffed appends msg to dst as the DATA phase carries it: line
// ends become CRLF (a bare LF gets its CR), a line starting with "." gets
// another one (RFC 5321 4.5.2), and the last line is ended. The
// terminating ".\r\n" is not added. The output is byte for byte what
// net/textproto's DotWriter writes (a test holds it to that), but runs of
// plain bytes are copied whole instead of one byte at a time.
func appendDotStuffed(dst, msg []byte) []byte {
	const (
		begin = iota // before anything: an empty message still gets a line end
		beginLine
		data
		afterCR
	)
	state := begin
	for len(msg) > 0 {
		switch state {
		case begin, beginLine:
			if msg[0] == '.' {
				dst = append(dst, '.')
			}
			state = data
		case afterCR:
			// Whatever follows a CR is copied as is; only LF ends the line.
			c := msg[0]
			msg = msg[1:]
			dst = append(dst, c)
			state = data
			if c == '\n' {
				state = beginLine
			}
		default:
			i := bytes.IndexByte(msg, '\n')
			stop := i
			if stop < 0 {
				stop = len(msg)
			}
			if j := bytes.IndexByte(msg[:stop], '\r'); j >= 0 {
				dst = append(dst, msg[:j+1]...)
				msg = msg[j+1:]
				state = afterCR
				continue
			}
			dst = append(dst, msg[:stop]...)
			msg = msg[stop:]
			if i >= 0 {
				dst = append(dst, '\r', '\n')
				msg = msg[1:]
				state = beginLine
			}
		}
	}
	switch state {
	case begin, data:
		dst = append(dst, '\r', '\n')
	case afterCR:
		dst = append(dst, '\n')
	}
	return dst
}

// runPipelined sends the messages from..n-1 over c with pipelining; see run.
func (s *Sender) runPipelined(ctx context.Context, c *conn, next Source, n, from int, results []error, accepted func(i int) error) run {
	tp := c.sc.Text
	p := &pipelineState{c: c, pending: -1}
	for i := from; i < n; i++ {
		stop := s.before(ctx)
		var m *gomail.Msg
		if stop == nil {
			m, stop = s.compose(next, i, c.eightBit, results)
		}
		if stop != nil {
			// Settle what is on the wire before giving up the rest.
			if r, done := p.settle(tp, results, accepted, i); done {
				return r
			}
			return run{pos: i, err: stop}
		}
		if m == nil {
			continue // settled: results[i] says why
		}
		env, err := envelopeOf(m)
		if err == nil {
			p.raw.Reset()
			_, err = m.WriteTo(&p.raw)
		}
		if err != nil {
			results[i] = &DeliveryError{Temporary: false, Err: err}
			continue
		}
		c.uses++
		// Each message has the configured time for its exchange, as
		// go-mail gives each of its commands (the deadline set when the
		// connection opened would end a long-lived one).
		if err := c.sc.UpdateDeadline(s.cfg.Timeout); err != nil {
			return run{pos: p.resumeAt(i), err: err, conn: brokenConn}
		}
		// One write: the previous end of data (already buffered), this
		// envelope, DATA.
		p.mailCommand(tp.W, env.from)
		for _, r := range env.rcpts {
			fmt.Fprintf(tp.W, "RCPT TO:%s\r\n", r)
		}
		_, _ = tp.W.WriteString("DATA\r\n")
		if err := tp.W.Flush(); err != nil {
			return run{pos: p.resumeAt(i), err: err, conn: brokenConn}
		}
		prevOK, br := p.readEnd(tp, results)
		if br != nil {
			return run{pos: p.resumeAt(i), err: br, conn: brokenConn}
		}
		replies := make([]reply, 0, 2+len(env.rcpts))
		replies = append(replies, read(tp, 250))
		for range env.rcpts {
			replies = append(replies, read(tp, 25))
		}
		replies = append(replies, read(tp, 354))
		failed, broken := transactionFailure(replies)
		if broken != nil {
			// The previous message was accepted: record it before this one
			// goes to another connection.
			if err := p.record(prevOK, accepted); err != nil {
				return run{pos: i, err: stopped(err), conn: brokenConn}
			}
			return run{pos: i, err: broken, conn: brokenConn}
		}
		if failed != nil {
			results[i] = failed
			if err := p.record(prevOK, accepted); err != nil {
				return run{pos: i + 1, err: stopped(err)}
			}
			if err := abandon(tp, replies); err != nil {
				return run{pos: i + 1, err: err, conn: closeConn}
			}
			continue
		}
		// The body goes out now, while the previous message is recorded;
		// its final "." waits for that record.
		p.body = appendDotStuffed(p.body[:0], p.raw.Bytes())
		if _, err := tp.W.Write(p.body); err != nil {
			return run{pos: i, err: err, conn: brokenConn}
		}
		if err := tp.W.Flush(); err != nil {
			return run{pos: i, err: err, conn: brokenConn}
		}
		if err := c.flush(); err != nil {
			return run{pos: i, err: err, conn: brokenConn}
		}
		if err := p.record(prevOK, accepted); err != nil {
			return run{pos: i, err: stopped(fmt.Errorf("%w: %w", errDataAborted, err)), conn: closeConn}
		}
		_, _ = tp.W.WriteString(".\r\n")
		p.pending = i
	}
	if r, done := p.settle(tp, results, accepted, n); done {
		return r
	}
	return run{pos: n}
}

// settle flushes what is buffered, reads the pending message's end-of-data
// reply and records it. done is true when that ended the run (r says how);
// next is the position the run stopped at.
func (p *pipelineState) settle(tp *textproto.Conn, results []error, accepted func(int) error, next int) (r run, done bool) {
	if err := tp.W.Flush(); err != nil {
		return run{pos: p.resumeAt(next), err: err, conn: brokenConn}, true
	}
	ok, br := p.readEnd(tp, results)
	if br != nil {
		return run{pos: p.resumeAt(next), err: br, conn: brokenConn}, true
	}
	last := p.pending
	if err := p.record(ok, accepted); err != nil {
		return run{pos: last + 1, err: stopped(err)}, true
	}
	return run{}, false
}

// readEnd reads the pending message's end-of-data reply, if one is owed:
// ok when the server accepted the message. A refused message gets its
// result and is no longer pending; broken is set when no reply came.
func (p *pipelineState) readEnd(tp *textproto.Conn, results []error) (ok bool, broken error) {
	if p.pending < 0 {
		return false, nil
	}
	r := read(tp, 250)
	if r.broken() {
		return false, r.err
	}
	i := p.pending
	if r.err != nil {
		results[i] = transactionError(stageEnd, r)
		p.pending = -1
		return false, nil
	}
	results[i] = nil
	return true, nil
}

// record lets the caller record the pending message the server accepted.
func (p *pipelineState) record(ok bool, accepted func(int) error) error {
	if p.pending < 0 {
		return nil
	}
	i := p.pending
	p.pending = -1
	if ok && accepted != nil {
		return accepted(i)
	}
	return nil
}

// resumeAt is where to resume after the connection broke: the message
// whose end of data went unanswered, else the one being sent.
func (p *pipelineState) resumeAt(k int) int {
	if p.pending >= 0 {
		return p.pending
	}
	return k
}

// transactionFailure reads the replies to MAIL, each RCPT and DATA: the
// first refusal, or broken when the connection gave no reply.
func transactionFailure(replies []reply) (failed *DeliveryError, broken error) {
	for n, r := range replies {
		if r.broken() {
			return nil, r.err
		}
		if r.err != nil && failed == nil {
			st := stageRcpt
			switch {
			case n == 0:
				st = stageMail
			case n == len(replies)-1:
				st = stageData
			}
			failed = transactionError(st, r)
		}
	}
	return failed, nil
}

// abandon ends a refused transaction so the next can start: a server that
// said 354 all the same gets an empty message's end (it has no valid
// recipient to deliver it to), and one that accepted MAIL is reset.
func abandon(tp *textproto.Conn, replies []reply) error {
	if replies[len(replies)-1].err == nil {
		_, _ = tp.W.WriteString(".\r\n")
		if err := tp.W.Flush(); err != nil {
			return err
		}
		if r := read(tp, 0); r.broken() {
			return r.err
		}
	}
	if replies[0].err != nil {
		return nil
	}
	_, _ = tp.W.WriteString("RSET\r\n")
	if err := tp.W.Flush(); err != nil {
		return err
	}
	if r := read(tp, 250); r.err != nil {
		return fmt.Errorf("reset after a refused message: %w", r.err)
	}
	return nil
}
