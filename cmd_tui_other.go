//go:build !unix

package main

import (
	"context"
	"os"
)

// watchHangup does nothing where there are no pseudo-terminals to hang up;
// a closed console ends the process by itself there.
func watchHangup(context.Context, *os.File, func()) {}
