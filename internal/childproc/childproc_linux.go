// Package childproc keeps helper processes (Hugo's watcher, stripe-mock in
// tests) from outliving the process that started them.
package childproc

import (
	"os/exec"
	"syscall"
)

// DieWithParent makes Linux stop cmd when its parent dies, even by kill -9
// or a test binary's timeout panic, so nothing is left running.
func DieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}
