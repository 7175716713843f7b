//go:build !linux

package main

import (
	"errors"
	"os"
	"os/exec"
	"syscall"
)

// The harness reads /proc and opens /dev/ptmx the Linux way; elsewhere it
// reports that instead of measuring something else.
var errLinuxOnly = errors.New("the firehose benchmark runs on Linux only")

func openPTY(int, int) (*os.File, *os.File, error)   { return nil, nil, errLinuxOnly }
func startInPTY(*exec.Cmd, *os.File) error           { return errLinuxOnly }
func killGroup(int, syscall.Signal)                  {}
func procCPU(int) (float64, error)                   { return 0, errLinuxOnly }
func procMem(int) (int64, int64, error)              { return 0, 0, errLinuxOnly }
func tcpQueued(int) (int64, int, error)              { return 0, 0, errLinuxOnly }
func loadAvg() [3]float64                            { return [3]float64{} }
func cpuModel() string                               { return "" }
func rusage(*os.ProcessState) (int64, float64, bool) { return 0, 0, false }
