package serve

import (
	"os/exec"
	"syscall"
)

// dieWithParent stops Hugo if payoke itself is killed without a chance to
// stop it (kill -9), so no watcher is left behind.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}
