package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/events"
)

// runtimeAPI fakes the part of the Lambda runtime API that aws-lambda-go
// uses: GET …/invocation/next hands out one event, POST …/response takes the
// answer. Later polls wait until the process is stopped. One process, one event.
type runtimeAPI struct {
	srv *http.Server
	ln  net.Listener

	mu  sync.Mutex
	cur *invocation
}

// invocation is one cold start in progress.
type invocation struct {
	id       string
	name     string
	served   bool
	ready    chan struct{} // closed at the first poll
	answered chan int      // the answer's status code
	failed   chan string   // an init or invocation error reported by the function
}

// result is one cold start, timed from just before the process started.
type result struct {
	ready, answered time.Duration
	status          int
}

func newRuntimeAPI() (*runtimeAPI, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	a := &runtimeAPI{ln: ln}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /2018-06-01/runtime/invocation/next", a.next)
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/response", a.response)
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/error", a.fail)
	mux.HandleFunc("POST /2018-06-01/runtime/init/error", a.fail)
	a.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go a.srv.Serve(ln)
	return a, nil
}

func (a *runtimeAPI) Addr() string { return a.ln.Addr().String() }
func (a *runtimeAPI) Close()       { a.srv.Close() }

func (a *runtimeAPI) current() *invocation {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.cur
}

func (a *runtimeAPI) next(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	inv := a.cur
	first := inv != nil && !inv.served
	if first {
		inv.served = true
	}
	a.mu.Unlock()
	if !first {
		<-r.Context().Done() // no more events: wait for the process to be stopped
		return
	}
	close(inv.ready)
	ev := events.APIGatewayProxyRequest{
		HTTPMethod: http.MethodPost,
		Path:       "/api/" + inv.name,
		Headers: map[string]string{
			"Content-Type":    "application/x-www-form-urlencoded",
			"Accept-Language": "nl-BE,nl;q=0.9",
			"Origin":          "https://www.payoke.be",
			"Sec-Fetch-Site":  "same-origin",
		},
		// Fails validation everywhere (amount below the minimum, no message,
		// no signature), so the answer comes without any network call.
		Body: "amount=1&frequency=once&lang=nl&message=",
	}
	ev.RequestContext.HTTPMethod = ev.HTTPMethod
	ev.RequestContext.Path = ev.Path
	ev.RequestContext.Identity.SourceIP = "192.0.2.1"
	w.Header().Set("Lambda-Runtime-Aws-Request-Id", inv.id)
	w.Header().Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(time.Now().Add(30*time.Second).UnixMilli(), 10))
	w.Header().Set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:eu-west-1:000000000000:function:coldstart")
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(ev)
}

func (a *runtimeAPI) response(w http.ResponseWriter, r *http.Request) {
	var resp events.APIGatewayProxyResponse
	err := json.NewDecoder(r.Body).Decode(&resp)
	inv := a.current()
	if inv == nil || r.PathValue("id") != inv.id {
		http.Error(w, "unknown invocation", http.StatusBadRequest)
		return
	}
	if err != nil {
		inv.failed <- "unreadable response: " + err.Error()
	} else {
		inv.answered <- resp.StatusCode
	}
	w.WriteHeader(http.StatusAccepted)
}

func (a *runtimeAPI) fail(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(io.LimitReader(r.Body, 4096))
	if inv := a.current(); inv != nil {
		select {
		case inv.failed <- string(b):
		default:
		}
	}
	w.WriteHeader(http.StatusAccepted)
}

// coldStart starts bin, waits for its answer to one event and stops it.
func (a *runtimeAPI) coldStart(ctx context.Context, bin, name string, env []string) (result, error) {
	inv := &invocation{
		id: fmt.Sprintf("req-%d", time.Now().UnixNano()), name: name,
		ready: make(chan struct{}), answered: make(chan int, 1), failed: make(chan string, 1),
	}
	a.mu.Lock()
	a.cur = inv
	a.mu.Unlock()
	defer func() {
		a.mu.Lock()
		a.cur = nil
		a.mu.Unlock()
	}()

	var stderr bytes.Buffer
	cmd := exec.Command(bin)
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = io.Discard, &stderr
	exited := make(chan error, 1)
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return result{}, err
	}
	go func() { exited <- cmd.Wait() }()
	stop := func() {
		cmd.Process.Kill()
		<-exited
	}

	var res result
	timeout := time.After(15 * time.Second)
	for {
		select {
		case <-inv.ready:
			res.ready = time.Since(start)
			inv.ready = nil // a nil channel blocks: wait for the answer now
		case res.status = <-inv.answered:
			res.answered = time.Since(start)
			stop()
			return res, nil
		case msg := <-inv.failed:
			stop()
			return result{}, fmt.Errorf("the function reported an error: %s\n%s", msg, stderr.String())
		case err := <-exited:
			return result{}, fmt.Errorf("exited before answering (%v)\n%s", err, strings.TrimSpace(stderr.String()))
		case <-timeout:
			stop()
			return result{}, errors.New("no answer within 15s\n" + stderr.String())
		case <-ctx.Done():
			stop()
			return result{}, ctx.Err()
		}
	}
}
