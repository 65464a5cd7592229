// Package childproc keeps helper processes (Hugo's watcher, stripe-mock in
// tests) from outliving the process that started them.
package childproc

import (
	"os/exec"
	"runtime"
	"syscall"
)

// DieWithParent makes Linux stop cmd when its parent dies, even by kill -9
// or a test binary's timeout panic, so nothing is left running. Start cmd
// with Start (or Run), not cmd.Start: see there.
func DieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}

// Start starts cmd from an OS thread that lives as long as this process.
// Linux sends the parent-death signal when the *thread* that forked the
// child ends, not the process (golang/go#27505), and the Go runtime may end
// a thread under a goroutine; that once stopped Hugo's watcher mid-run.
// The thread is parked for good: one per child, and children are few.
func Start(cmd *exec.Cmd) error {
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread must outlive the child
		errc <- cmd.Start()
		select {}
	}()
	return <-errc
}

// Run is cmd.Run with Start's thread.
func Run(cmd *exec.Cmd) error {
	if err := Start(cmd); err != nil {
		return err
	}
	return cmd.Wait()
}
