//go:build !linux

// Package childproc keeps helper processes (Hugo's watcher, stripe-mock in
// tests) from outliving the process that started them.
package childproc

import "os/exec"

// DieWithParent does nothing outside Linux, which alone has a parent-death signal.
func DieWithParent(*exec.Cmd) {}

// Start is cmd.Start outside Linux.
func Start(cmd *exec.Cmd) error { return cmd.Start() }

// Run is cmd.Run outside Linux.
func Run(cmd *exec.Cmd) error { return cmd.Run() }
