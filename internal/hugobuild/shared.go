package hugobuild

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Shared builds the site in source as Build does, once for a whole
// `go test ./...` run, and returns the folder it is in with Hugo's output.
// The run's test binaries are separate processes with one parent, the go
// command, and each used to build the same site. Shared names the build by
// that parent and a hash of what Hugo reads (the Inputs, the Hugo binary,
// the HUGO_ variables): the first package to ask builds it while the others
// wait on a file lock, then read the same files. An edit gives a new hash,
// hence a new build. A build is not kept past its run, because Hugo's output
// also depends on the day (dates decide what is published and listed).
//
// The folder is shared: read it, never write to it.
func Shared(ctx context.Context, root, source string) (dir, log string, err error) {
	key, err := inputsKey(ctx, root, source)
	if err != nil {
		return "", "", err
	}
	cache := filepath.Join(os.TempDir(), "payoke-hugo-builds")
	if err := os.MkdirAll(cache, 0o755); err != nil {
		return "", "", err
	}
	run := strconv.Itoa(os.Getppid())
	prune(cache, run)
	dir = filepath.Join(cache, run+"-"+key)
	unlock, err := lockFile(ctx, dir+".lock")
	if err != nil {
		return "", "", err
	}
	defer unlock()
	logFile := dir + ".log"
	if b, err := os.ReadFile(logFile); err == nil { // written last: the build is whole
		return dir, string(b), nil
	}
	os.RemoveAll(dir)
	if log, err = Build(ctx, root, source, dir); err != nil {
		os.RemoveAll(dir)
		return "", log, err
	}
	if err := os.WriteFile(logFile, []byte(log), 0o644); err != nil {
		return "", log, err
	}
	return dir, log, nil
}

// inputsKey hashes every file Hugo reads for the site in source, by path
// and content; reading them also puts them in go test's cache key, as
// noteInputs does for Build.
func inputsKey(ctx context.Context, root, source string) (string, error) {
	bin, err := Binary(ctx, root)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	fmt.Fprintf(h, "hugo %s\n", bin) // the go command names it by its build's hash
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "HUGO_") {
			fmt.Fprintf(h, "env %s\n", kv)
		}
	}
	err = walkInputs(source, func(f *os.File, rel string) error {
		fmt.Fprintf(h, "file %s\n", rel)
		_, err := io.Copy(h, f)
		return err
	})
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil))[:20], nil
}

// lockFile holds an exclusive lock on path until unlock; the kernel lets go
// of it if the process dies, so a killed test run never leaves it held.
func lockFile(ctx context.Context, path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() { f.Close() }, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			f.Close()
			return nil, fmt.Errorf("locking %s: %w", path, err)
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// prune removes the builds of runs that have ended (their go command is
// gone), taking each one's lock so that no build in use is removed.
func prune(cache, run string) {
	locks, _ := filepath.Glob(filepath.Join(cache, "*-*.lock"))
	for _, l := range locks {
		name := strings.TrimSuffix(filepath.Base(l), ".lock")
		owner, _, _ := strings.Cut(name, "-")
		pid, err := strconv.Atoi(owner)
		if err != nil || owner == run || syscall.Kill(pid, 0) != syscall.ESRCH {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		unlock, err := lockFile(ctx, l)
		cancel()
		if err != nil {
			continue
		}
		os.RemoveAll(filepath.Join(cache, name))
		os.Remove(filepath.Join(cache, name+".log"))
		os.Remove(l)
		unlock()
	}
}
