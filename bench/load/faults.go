package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/payoke/site/internal/mail/mailtest"
)

// harness lets this command use the test servers the handlers' own tests
// use (mailtest, stripestandin), which take a testing.TB for their cleanup
// and their fatal errors. It implements only what those constructors call
// (Helper, Cleanup, Fatal, Fatalf); any other method would panic on the nil
// embedded TB, so a new call in them shows at once.
type harness struct {
	testing.TB
	mu       sync.Mutex
	cleanups []func()
}

func (h *harness) Helper()                      {}
func (h *harness) Name() string                 { return "bench/load" }
func (h *harness) Fatal(args ...any)            { panic(fatal(fmt.Sprint(args...))) }
func (h *harness) Fatalf(f string, args ...any) { panic(fatal(fmt.Sprintf(f, args...))) }
func (h *harness) Logf(f string, args ...any)   {}

func (h *harness) Cleanup(f func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.cleanups = append(h.cleanups, f)
}

// close runs the cleanups, last registered first, as testing does.
func (h *harness) close() {
	h.mu.Lock()
	fs := slices.Clone(h.cleanups)
	h.cleanups = nil
	h.mu.Unlock()
	for _, f := range slices.Backward(fs) {
		f()
	}
}

// fatal is a test server that could not start.
type fatal string

// withHarness runs f with a fresh harness, closes it afterwards, and turns a
// test server's Fatal into an error.
func withHarness[T any](f func(*harness) (T, error)) (out T, err error) {
	h := &harness{}
	defer h.close()
	defer func() {
		if p := recover(); p != nil {
			msg, ok := p.(fatal)
			if !ok {
				panic(p)
			}
			err = errors.New(string(msg))
		}
	}()
	return f(h)
}

// fault is what happens to the mail server halfway through a run.
type fault string

const (
	faultNone   fault = "up"     // the server answers throughout
	faultKilled fault = "killed" // stopped: connections are refused from then on
	faultHung   fault = "hung"   // same address, accepts connections and never says a word
)

// mailServer is the real SMTP server of one run (mailtest: go-smtp in
// process, the tests' server), and what replaces it when it hangs.
type mailServer struct {
	*mailtest.Server
	silent net.Listener
	wg     sync.WaitGroup

	// go-smtp logs to the os.Stderr it finds at start, and mailtest does not
	// let a caller change that; when the server is stopped mid-session its
	// Close races its own sessions and it logs a recovered nil-pointer panic
	// with a stack for each (it answers 421 and hangs up, as a dying server
	// may). Those lines are counted here instead of flooding the terminal.
	logR, logW *os.File
	logDone    chan struct{}
	panics     int
}

// newMailServer starts a mailtest server whose go-smtp log is captured.
func newMailServer(h *harness) (*mailServer, error) {
	m := &mailServer{logDone: make(chan struct{})}
	var err error
	if m.logR, m.logW, err = os.Pipe(); err != nil {
		return nil, err
	}
	go func() {
		defer close(m.logDone)
		sc := bufio.NewScanner(m.logR)
		for sc.Scan() {
			if strings.Contains(sc.Text(), "panic serving") {
				m.panics++
			}
		}
		io.Copy(io.Discard, m.logR)
	}()
	stderr := os.Stderr
	os.Stderr = m.logW // read once, by smtp.NewServer inside mailtest.New
	defer func() { os.Stderr = stderr }()
	m.Server = mailtest.New(h)
	return m, nil
}

// break_ applies f to the running server. A hung server is a listener on
// the very address the handler was configured with (SMTP_URL is read once,
// at start), taken over the moment the real server lets it go.
func (m *mailServer) break_(f fault) error {
	switch f {
	case faultKilled:
		m.Close()
	case faultHung:
		m.Close()
		var err error
		for deadline := time.Now().Add(2 * time.Second); ; {
			m.silent, err = net.Listen("tcp", m.Addr)
			if err == nil || !errors.Is(err, syscall.EADDRINUSE) || time.Now().After(deadline) {
				break
			}
			time.Sleep(time.Millisecond)
		}
		if err != nil {
			return fmt.Errorf("hang the mail server at %s: %w", m.Addr, err)
		}
		m.wg.Go(func() { hold(m.silent) })
	}
	return nil
}

// hold accepts connections and never writes; each is read until the client
// gives up and closes it (the mail package's 5 s bound), so none piles up.
func hold(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		go func() {
			io.Copy(io.Discard, c)
			c.Close()
		}()
	}
}

// stop stops what break_ started and returns how many recovered panics
// go-smtp logged. The harness stops the mailtest server itself.
func (m *mailServer) stop() int {
	if m.silent != nil {
		m.silent.Close()
		m.wg.Wait()
	}
	m.Close()
	m.logW.Close()
	<-m.logDone
	m.logR.Close()
	return m.panics
}
