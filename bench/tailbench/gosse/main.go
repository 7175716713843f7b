// Command gosse is the baseline client of bench/tailbench: a minimal
// github.com/tmaxmax/go-sse subscriber that counts events and exits after n.
//
//	gosse URL N
package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strconv"

	sse "github.com/tmaxmax/go-sse"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: gosse URL N")
		os.Exit(2)
	}
	want, err := strconv.Atoi(os.Args[2])
	if err != nil || want <= 0 {
		fmt.Fprintln(os.Stderr, "gosse: N must be a positive number")
		os.Exit(2)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, os.Args[1], nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gosse:", err)
		os.Exit(1)
	}
	conn := sse.NewConnection(req)
	// The same bound tail is run with, so neither is refused an event.
	conn.Buffer(make([]byte, 0, 32<<10), 16<<20)
	var events, bytes int
	conn.SubscribeToAll(func(e sse.Event) {
		events++
		bytes += len(e.Data)
		if events == want {
			cancel()
		}
	})
	err = conn.Connect()
	if events < want {
		fmt.Fprintf(os.Stderr, "gosse: %d of %d events: %v\n", events, want, err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "gosse: %d events (%d bytes of data)\n", events, bytes)
}
