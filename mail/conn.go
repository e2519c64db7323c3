package mail

import (
	"bufio"
	"context"
	"net"
)

// coalescingConn gathers what the SMTP client writes and sends it when the
// client next waits for an answer. SMTP without pipelining alternates
// commands and replies, so this never delays anything; it turns the several
// small writes of a message body into one, saving system calls on every
// email.
type coalescingConn struct {
	net.Conn
	w *bufio.Writer
}

func (c *coalescingConn) Write(p []byte) (int, error) { return c.w.Write(p) }

// flush sends what is held now, without waiting for a read: a message's
// body, so that it travels while its sender does something else.
func (c *coalescingConn) flush() error { return c.w.Flush() }

func (c *coalescingConn) Read(p []byte) (int, error) {
	if c.w.Buffered() > 0 {
		if err := c.w.Flush(); err != nil {
			return 0, err
		}
	}
	return c.Conn.Read(p)
}

func (c *coalescingConn) Close() error {
	_ = c.w.Flush() // QUIT, which is not waited for
	return c.Conn.Close()
}

// dialCoalescing dials TCP and wraps the connection.
func dialCoalescing(ctx context.Context, network, addr string) (*coalescingConn, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	return &coalescingConn{Conn: conn, w: bufio.NewWriterSize(conn, 64<<10)}, nil
}
